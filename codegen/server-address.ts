import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compilerKey, toolVersion } from "./cache";

/*
 * Where the compile server of a repository listens (compile-server.ts), whether this command may use one, and what
 * makes a server the right one to ask.
 */

/**
 * RULES_CODEGEN_SERVER: `on` (use and start one), `off` (never), unset: on where a person runs the command in a
 * terminal (standard output is a terminal and CI is not set), off for scripts, pipes, tests and CI, as Nx turns its
 * daemon off in CI. `--no-server` and `--no-cache` run in this process whatever the setting.
 */
export function serverWanted(env: NodeJS.ProcessEnv = process.env, stdoutIsTerminal = Boolean(process.stdout.isTTY)): boolean {
  const setting = (env.RULES_CODEGEN_SERVER ?? "").toLowerCase();
  if (setting === "on") return true;
  if (setting === "off") return false;
  const ci = (env.CI ?? "").toLowerCase();
  return stdoutIsTerminal && (ci === "" || ci === "0" || ci === "false");
}

/** How long a server waits for the next command before it exits (RULES_CODEGEN_SERVER_IDLE_SECONDS, default 15 min). */
export function serverIdleMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.RULES_CODEGEN_SERVER_IDLE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 15 * 60 * 1000;
}

/**
 * What a server's answers depend on besides the repository's files: the compiler (its sources and tool versions,
 * cache.ts), the secret scanner it has loaded, the Node that runs it and the compiler's own settings. A server with
 * another fingerprint is stopped and replaced, never asked.
 */
export function serverFingerprint(env: NodeJS.ProcessEnv = process.env): string {
  const settings = Object.keys(env)
    .filter((k) => k.startsWith("RULES_CODEGEN_") && !k.startsWith("RULES_CODEGEN_SERVER"))
    .sort()
    .map((k) => `${k}=${env[k]}`);
  const scanner = ["@secretlint/core", "@secretlint/secretlint-rule-preset-recommend"].map((pkg) => `${pkg}@${toolVersion(pkg)}`);
  return createHash("sha256").update([compilerKey(), ...scanner, process.version, process.execPath, ...settings].join("\0")).digest("hex").slice(0, 32);
}

/**
 * The server's socket for a repository root: a Unix socket in a folder of the temporary directory that only this user
 * may enter (a named pipe on Windows), named after the root's real path. Undefined when that folder is not safe to use
 * (not a folder of this user's, or open to others): then no server is used.
 */
export function serverSocket(root: string): string | undefined {
  const name = createHash("sha256").update(realPath(root)).digest("hex").slice(0, 24);
  if (process.platform === "win32") return `\\\\.\\pipe\\rules-codegen-${os.userInfo().username}-${name}`;
  const uid = process.getuid?.() ?? 0;
  let base = os.tmpdir();
  // A Unix socket's path has at most 104 bytes on macOS (108 on Linux).
  if (path.join(base, `rules-codegen-${uid}`, `${name}.sock`).length > 100) base = "/tmp";
  const dir = path.join(base, `rules-codegen-${uid}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700, recursive: true });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return path.join(dir, `${name}.sock`);
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
