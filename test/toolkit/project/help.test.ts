/**
 * `--help` on every command users type (README "Commands"): run as users run it (`npm run <command> -- --help`, a
 * child process), it prints the usage, the options and the exit codes on standard output and exits 0, doing nothing
 * else (no synth, no compile, no measurement).
 */
import { spawn } from "child_process";
import { REPO_ROOT } from "../../support/sample-project";

const COMMANDS = ["generate", "synth", "plan", "apply", "drift", "import", "preview", "bench", "migrate"] as const;
/** Far beyond a help text; a command that starts real work instead is killed and fails. */
const KILL_AFTER_MS = 60_000;

function npmRun(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", command, "--", "--help"], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), KILL_AFTER_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let runs: Map<string, Awaited<ReturnType<typeof npmRun>>>;
beforeAll(async () => {
  runs = new Map(await Promise.all(COMMANDS.map(async (command) => [command, await npmRun(command)] as const)));
}, 2 * KILL_AFTER_MS);

it.each(COMMANDS)("npm run %s -- --help prints usage, options and exit codes, and exits 0", (command) => {
  const run = runs.get(command)!;
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
  expect(run.stdout).toMatch(new RegExp(`^usage: npm run ${command}\\b`, "im"));
  expect(run.stdout).toMatch(/^Options:|^ +-h, --help|^ +--\w/m);
  expect(run.stdout).toMatch(/^Exit (codes|status):/m);
});
