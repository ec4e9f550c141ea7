/**
 * What the Management API commands (`npm run drift`, `npm run import`) share as command-line programs: every
 * credential value masked and every terminal control or bidi character escaped in anything they print (tenant text
 * is hostile: inert-text.ts), and the process wiring (exit code, last-resort error).
 */
import { inertText } from "./inert-text";
import type { Environment } from "./tenant-credentials";

/** Masks every credential value of the environment in `text` (a safety net: messages never include them). */
export function credentialRedactor(env: Environment): (text: string) => string {
  const secrets = ["AUTH0_CLIENT_SECRET", "AUTH0_API_TOKEN"]
    .map((name) => env[name]?.trim())
    .filter((value): value is string => typeof value === "string" && value.length >= 4);
  return (text) => secrets.reduce((result, secret) => result.split(secret).join("***"), text);
}

/**
 * What a command prints, made safe: credentials masked, terminal control and bidi characters escaped. Both commands
 * write through this, so no report, error message or diff reaches the terminal raw.
 */
export function safeOutput(env: Environment, write: (text: string) => void): (text: string) => void {
  const redact = credentialRedactor(env);
  return (text) => write(inertText(redact(text)));
}

export interface CommandIo {
  env: Environment;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs a command's `run(argv, io)` as the process: its resolved code becomes the exit code. */
export function runAsProcess(name: string, run: (argv: string[], io: CommandIo) => Promise<number>): void {
  run(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(inertText(`${name}: Internal error: ${String(error)}\n`));
      process.exitCode = 1;
    },
  );
}
