/** Runs a repository script as a child process (as `npm run …` would), with a timeout and captured output. */
import { execFile } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../../../stacks/core/project-paths";

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");

export function runProcess(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: REPO_ROOT, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
