// Prettier for the converter (convert/format.ts), in a worker thread: prettier 3 loads its parsers with a dynamic
// import, which a vm-sandboxed caller (jest) cannot do on the main thread.
"use strict";
const { parentPort, workerData } = require("worker_threads");
require("prettier")
  .format(workerData.code, workerData.options)
  .then(
    (formatted) => parentPort.postMessage({ formatted }),
    (error) => parentPort.postMessage({ error: String(error && error.message ? error.message : error) }),
  );
