// Puts text in a Markdown code block it cannot leave: the fence is one backtick longer than the longest run of
// backticks in the text (at least three), so a plan or report holding tenant text or pull-request code (a line of
// ```` followed by Markdown, an HTML comment, an @mention) stays inside the block (CommonMark: a code block ends only
// at a fence at least as long as its opening one). Control and bidi characters are shown as \uXXXX: terraform prints
// a tenant's display name as it is, and a bidi override would make the plan read differently from what it is (the
// same characters as stacks/tenant/inert-text.ts). Used by comment-plan.js and, as a command, by the workflows:
//   node .github/scripts/markdown-fence.js <file>   prints the file's text fenced.
const fs = require("fs");

function fenceFor(text) {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

// C0 controls but \t and \n, DEL, C1 controls, ALM, LRM/RLM, LS/PS, LRE…RLO, LRI…PDI.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function inert(text) {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function fenced(text) {
  const safe = inert(text);
  const fence = fenceFor(safe);
  return `${fence}\n${safe.replace(/\n+$/, "")}\n${fence}`;
}

module.exports = { fenceFor, fenced, inert };

if (require.main === module) {
  const file = process.argv[2];
  const text = file && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "(no output)";
  process.stdout.write(`${fenced(text)}\n`);
}
