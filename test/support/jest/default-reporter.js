/** Jest's default per-suite reporter alone (its summary comes from kind-summary-reporter.js, see jest.config.js). */
"use strict";
module.exports = require("@jest/reporters").DefaultReporter;
