import { ts } from "./typescript";
import type { SourceLocation } from "./errors";
import { relativePath } from "./paths";

/** The location of a position in a source file, for error messages. */
export function locationAt(root: string, sourceFile: ts.SourceFile, pos: number): SourceLocation {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(pos);
  const starts = sourceFile.getLineStarts();
  const text = sourceFile.text;
  const end = line + 1 < starts.length ? starts[line + 1] : text.length;
  return {
    file: relativePath(root, sourceFile.fileName),
    line: line + 1,
    column: character + 1,
    sourceLine: text.slice(starts[line], end).replace(/\r?\n$/, ""),
  };
}

export function locationOf(root: string, node: ts.Node): SourceLocation {
  const sf = node.getSourceFile();
  return locationAt(root, sf, node.getStart(sf));
}
