/**
 * Runs terraform for `npm run plan` / `npm run apply` so that it behaves under faults (issue 21):
 *
 * - Signals: while terraform runs, SIGINT and SIGTERM do not end this process; they are passed to terraform (whose
 *   first interrupt stops the run safely: it finishes the calls in flight, writes the state and releases the lock)
 *   and this process waits for terraform to exit. Without a terminal (CI, a supervisor) terraform runs in a process
 *   group of its own, so it gets each signal exactly once, from here. At a terminal it shares the terminal's group
 *   (its approval prompt reads the terminal), so a Ctrl-C already reaches it: SIGINT is not passed on again (a second
 *   interrupt would make terraform exit at once, without saving state), SIGTERM is.
 * - Files: terraform runs with umask 077, so the state, its backup and saved plans it creates are 0600 (they hold the
 *   tenant's configuration values); the ones that already exist are made 0600 before and after the run.
 * - Output: a plan shows tenant text (an imported Action's display name, a rule's name or script), which is hostile:
 *   terraform prints it raw, ESC sequences and bidi controls included. Its stdout and stderr therefore pass through
 *   the tenant tools' sanitizer (inertText: line feeds and tabs kept, every other control character shown as
 *   `\uXXXX`) on their way to the terminal; stdin stays the terminal's, for apply's approval prompt. Terraform's own
 *   colours are ESC sequences too, so the CLI runs it with -no-color (terraform.ts).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Readable } from "stream";
import { StringDecoder } from "string_decoder";
import { inertText } from "../tenant/inert-text";

export const PRIVATE_UMASK = 0o077;
export const PRIVATE_MODE = 0o600;

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
type ForwardedSignal = keyof typeof SIGNAL_NUMBERS;

export interface TerraformRun {
  code: number;
  /** The signal this process received while terraform ran (and passed on), if any. */
  interrupted?: ForwardedSignal;
}

export interface TerraformProcessOptions {
  env: NodeJS.ProcessEnv;
  /** Default: whether this process's stdin is a terminal. */
  interactive?: boolean;
  /** Receives the signals (default: this process). */
  signals?: Pick<NodeJS.Process, "on" | "off">;
  /** Where terraform's output goes, made inert (default: this process's stdout and stderr). */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Copies `from` to `to` as it arrives (a prompt without a line end shows at once), with inertText applied. */
function pipeInert(from: Readable | null, to: NodeJS.WritableStream): void {
  if (!from) return;
  const decoder = new StringDecoder("utf8"); // a character split across two chunks is decoded whole
  from.on("data", (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) to.write(inertText(text));
  });
  from.on("end", () => {
    const rest = decoder.end();
    if (rest) to.write(inertText(rest));
  });
}

/** Runs `binary args` with the terminal's stdin and its output made inert; resolves with its exit code once it has exited. */
export function runTerraformProcess(binary: string, args: string[], options: TerraformProcessOptions): Promise<TerraformRun> {
  const interactive = options.interactive ?? process.stdin.isTTY === true;
  const signals = options.signals ?? process;
  return new Promise((resolve, reject) => {
    // The child inherits the umask at spawn; this process's own umask is restored at once.
    const previous = process.umask(PRIVATE_UMASK);
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(binary, args, { stdio: ["inherit", "pipe", "pipe"], env: options.env, detached: !interactive });
    } finally {
      process.umask(previous);
    }
    pipeInert(child.stdout, options.stdout ?? process.stdout);
    pipeInert(child.stderr, options.stderr ?? process.stderr);
    let interrupted: ForwardedSignal | undefined;
    const handlers = (Object.keys(SIGNAL_NUMBERS) as ForwardedSignal[]).map((signal) => {
      const handler = () => {
        interrupted ??= signal;
        if (signal === "SIGINT" && interactive) return; // the terminal sent it to terraform as well
        child.kill(signal);
      };
      signals.on(signal, handler);
      return [signal, handler] as const;
    });
    const done = () => {
      for (const [signal, handler] of handlers) signals.off(signal, handler);
    };
    child.on("error", (error) => {
      done();
      reject(error);
    });
    child.on("close", (code, signal) => {
      done();
      const exit = code ?? (signal ? 1 : 0);
      // Interrupted but terraform still said 0 (it had finished): the command was interrupted all the same.
      resolve(interrupted ? { code: exit === 0 ? 128 + SIGNAL_NUMBERS[interrupted] : exit, interrupted } : { code: exit });
    });
  });
}

/** The value of a terraform option given as `-name=value` or `-name value`. */
function optionValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`-${name}=`)) return args[i].slice(name.length + 2);
    if (args[i] === `-${name}` && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

/**
 * The files of a run that hold the tenant's configuration: the local state (from the synthesized backend) and its
 * backup, `.terraform/terraform.tfstate`, and a saved plan (`-out=…` of plan, or the plan file apply is given).
 */
export function terraformPrivateFiles(stackDir: string, command: "plan" | "apply", terraformArgs: readonly string[]): string[] {
  const files: string[] = [path.join(stackDir, ".terraform", "terraform.tfstate")];
  try {
    const stack = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as { terraform?: { backend?: { local?: { path?: string } } } };
    const local = stack.terraform?.backend?.local;
    if (local) {
      const state = path.resolve(stackDir, local.path ?? "terraform.tfstate");
      files.push(state, `${state}.backup`);
    }
  } catch {
    // no synthesized stack: nothing more to protect
  }
  const out = command === "plan" ? optionValue(terraformArgs, "out") : terraformArgs.find((arg) => !arg.startsWith("-"));
  if (out) files.push(path.resolve(stackDir, out));
  return files;
}

/** Makes every existing file of `files` readable by its owner only. */
export function restrictFiles(files: readonly string[]): void {
  for (const file of files) {
    try {
      if (fs.statSync(file).isFile()) fs.chmodSync(file, PRIVATE_MODE);
    } catch {
      // not there (yet): nothing to restrict
    }
  }
}
