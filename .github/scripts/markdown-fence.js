// Puts text in a Markdown code block it cannot leave: the fence is one backtick longer than the longest run of
// backticks in the text (at least three), so a plan or report holding tenant text or pull-request code (a line of
// ```` followed by Markdown, an HTML comment, an @mention) stays inside the block (CommonMark: a code block ends only
// at a fence at least as long as its opening one). Used by comment-plan.js and, as a command, by the workflows:
//   node .github/scripts/markdown-fence.js <file>   prints the file's text fenced.
const fs = require("fs");

function fenceFor(text) {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

function fenced(text) {
  const fence = fenceFor(text);
  return `${fence}\n${text.replace(/\n+$/, "")}\n${fence}`;
}

module.exports = { fenceFor, fenced };

if (require.main === module) {
  const file = process.argv[2];
  const text = file && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "(no output)";
  process.stdout.write(`${fenced(text)}\n`);
}
