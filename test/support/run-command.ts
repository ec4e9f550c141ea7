/** Runs a command of the project as a user types it (`npm run …`), with a bound, and collects its output. */
import { spawn } from "child_process";
import { findProjectRoot } from "../../testing";

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCommand(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; limitMs?: number } = {}): Promise<CommandRun> {
  const limitMs = options.limitMs ?? 90_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: findProjectRoot(), env: { ...process.env, NO_COLOR: "1", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish within ${limitMs} ms; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
    }, limitMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npm run --silent preview -- …args`: exactly the command the README gives reviewers. */
export function npmRunPreview(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CommandRun> {
  return runCommand("npm", ["run", "--silent", "preview", "--", ...args], { env });
}
