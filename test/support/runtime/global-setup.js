// jest globalSetup: the run stops at once unless jest itself runs on the pinned Node 22 (its test workers are
// started with the same binary, process.execPath; test/project/runtime.test.ts checks them and their children).
"use strict";
const { assertPinnedNode } = require("./pinned-node");

module.exports = async function globalSetup() {
  assertPinnedNode("jest");
};
