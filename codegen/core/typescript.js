// The TypeScript compiler ts-morph is built on (ts-morph's `ts` export is this very module): loaded directly, so that a
// compile does not also load the rest of ts-morph and @ts-morph/common, about 0.3 s of start-up for an API the
// compiler's main path does not use. Where ts-morph itself is loaded (the in-process type-check), it uses this same
// module instance. Types: typescript.d.ts (ts-morph's own).
"use strict";
exports.ts = require("@ts-morph/common/dist/typescript.js");
