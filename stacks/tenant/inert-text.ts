/**
 * Tenant text (names, ids, scripts, display names, API error bodies) is hostile: printed raw, an ESC sequence can
 * rewrite the terminal (move the cursor, hide lines, set the window title, forge "in sync"), and a bidi override
 * makes a line read differently from what it is (Trojan Source). Written raw into a `//` comment, a newline ends the
 * comment and the rest becomes code. The one sanitizer for both (issue 21):
 *
 * - inertText: for everything `npm run drift` and `npm run import` print (applied where they write, cli-process.ts).
 *   Line feeds and tabs stay (reports and diffs are multi-line); every other C0/C1 control character, DEL, the line
 *   and paragraph separators and the bidi controls become a visible `\uXXXX`.
 * - inertLine: the same, and line feeds, carriage returns and tabs escaped too: for one line of generated code
 *   (a comment) that must stay one line.
 */

// C0 controls but \t and \n, DEL, C1 controls, the Arabic letter mark, LRM/RLM, LS/PS, LRE…RLO, LRI…PDI.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** `text` with every character that could act on a terminal or reorder a line shown as `\uXXXX`. */
export function inertText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** inertText, and line breaks and tabs shown as `\uXXXX` as well: the text stays on one line. */
export function inertLine(text: string): string {
  return text.replace(UNSAFE_IN_LINE, visible);
}
