import { CompileError } from "../core/errors";
import { locationAt } from "../core/location";
import type { ts } from "../core/typescript";

/**
 * `npm run convert -- --partial` writes an Action with a `TODO(convert)` comment at each construct it could not map
 * faithfully (convert/convert-rule.ts). Such an Action must not be deployed: each marker left is a located error
 * until a person resolves it and deletes the comment.
 */
export const CONVERT_TODO = "TODO(convert)";

export function convertTodoErrors(root: string, sourceFile: ts.SourceFile): CompileError[] {
  const errors: CompileError[] = [];
  const text = sourceFile.text;
  for (let at = text.indexOf(CONVERT_TODO); at !== -1; at = text.indexOf(CONVERT_TODO, at + CONVERT_TODO.length)) {
    errors.push(
      new CompileError(
        "a TODO(convert) left by `npm run convert -- --partial`: this construct of the rule has no faithful Action counterpart yet",
        locationAt(root, sourceFile, at),
        "rewrite the code the note names by hand (docs/converting-rules.md), then delete the TODO(convert) comment.",
      ),
    );
  }
  return errors;
}
