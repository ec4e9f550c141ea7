/**
 * `--environments <file>` of the stacks commands and `$STACKS_ENVIRONMENTS_FILE` of the cdktf app: the environments a
 * module exports, in place of stacks/environments.ts (the toolkit's tests use their own; a team may keep several).
 */
import * as path from "path";
import { StacksError } from "../core/errors";
import type { EnvironmentConfig } from "../environment-config";

export class EnvironmentsFileError extends StacksError {}

/** The `environments` a module exports (a .ts file runs through tsx, as the CLIs do); throws UsageError otherwise. */
export function loadEnvironmentsFile(file: string): EnvironmentConfig[] {
  const absolute = path.resolve(file);
  let loaded: { environments?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(absolute) as { environments?: unknown };
  } catch (error) {
    throw new EnvironmentsFileError(`--environments ${file}: cannot load it (${(error as Error).message.split("\n")[0]}).`);
  }
  if (!Array.isArray(loaded.environments)) {
    throw new EnvironmentsFileError(`--environments ${file}: it must export \`environments\` (an array), as stacks/environments.ts does.`);
  }
  return loaded.environments as EnvironmentConfig[];
}
