/**
 * Confinement of login code: `bothTargets` (unless `confined: false`) and `npm run preview` run a rule's generated
 * code in a separate Node process, because a `vm` context is not a security boundary (any object of this realm the
 * code is given — `callback`, `console`, a required module — leads to this process's `Function`, `process` and
 * `require`). The separate process IS the boundary:
 *
 * - **No secrets in its environment**: it gets only CONFINED_ENV_ALLOW_LIST (time zone and locale), none of this
 *   process's variables (no AUTH0_CLIENT_SECRET, TF_VAR_…, tokens, PATH, HOME or NODE_OPTIONS).
 * - **Node's permission model** (`--permission`, `--experimental-permission` on Node 20 and 22.0–22.12): no child
 *   processes, no worker threads, no native addons, no WASI, no file writes; files can be read only under the
 *   project's node_modules/ and testing/ folders, the generated folder being run, package.json and the compiler's
 *   allow-list of built-ins (codegen/core/allowed-builtins.ts). So code that
 *   reaches `process` (`this.constructor.constructor("return process")()`), `process.binding`, `createRequire` or
 *   `child_process` by any route finds an empty environment and is refused the rest with ERR_ACCESS_DENIED.
 * - Inside it, the stand-ins also give login code only the Node built-ins Auth0's runtime is used for
 *   (node-modules.ts LOGIN_CODE_BUILTINS).
 *
 * What comes back over the IPC channel is treated as hostile: only the fields of a LoginResult, type-checked.
 * A process that ends (or stops answering) during a login makes that login `failed`, with the reason; the next
 * login starts a new process. The process is shared by the pairs of one project and generated folder, is not
 * waited for by this one (it ends when this process does) and holds no state outside memory.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { LoginResult, Target, TargetPair, TargetPairOptions, TargetRun } from "./login";
import { findProjectRoot } from "./node-modules";
import type { OutboundHttp } from "./outbound-http";

/** The only environment variables the confined process inherits (none of them can carry a credential). */
export const CONFINED_ENV_ALLOW_LIST: readonly string[] = ["TZ", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES"];

/** How long a login may take beyond its own limit before its process is given up (a garbage collection, a busy machine). */
const PROCESS_MARGIN_MS = 15_000;
/** How long starting the process and loading a rule may take (compiling the library, loading its modules) on a busy machine. */
const OPEN_LIMIT_MS = 60_000;

const CHILD_ENTRY = path.join(__dirname, "confined-child.js");

/** The environment of the confined process: the allow-listed variables of `env`, nothing else. */
export function confinedEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of CONFINED_ENV_ALLOW_LIST) {
    const value = env[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** Node's permission flags for a process that may read only `readable` (files or folders, absolute). */
export function permissionFlags(readable: readonly string[]): string[] {
  const flags = process.allowedNodeEnvironmentFlags;
  const enable = flags.has("--permission") ? "--permission" : "--experimental-permission";
  return [
    enable,
    ...readable.map((entry) => `--allow-fs-read=${entry}`),
    ...(flags.has("--disable-warning") ? ["--disable-warning=ExperimentalWarning"] : []),
  ];
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** One confined Node process and its request/answer channel. */
class ConfinedProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail = "";
  /** Set once the process has ended: why. */
  ended: string | undefined;

  constructor(
    readonly projectRoot: string,
    readable: readonly string[],
  ) {
    this.child = spawn(process.execPath, [...permissionFlags(readable), CHILD_ENTRY], {
      cwd: projectRoot,
      env: confinedEnvironment(),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    // What the code writes to the process's own streams is never printed raw; the tail of stderr explains an end.
    this.child.stdout?.resume();
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-2000);
    });
    this.child.on("message", (message: unknown) => this.answer(message));
    this.child.on("error", (error) => this.end(`could not start: ${error.message}`));
    this.child.on("exit", (code, signal) => this.end(signal !== null ? `was killed (${signal})` : `exited with code ${code}`));
    this.idle();
  }

  request(message: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    if (this.ended !== undefined) return Promise.reject(new Error(`the confined process ${this.ended}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        this.end(`did not answer within ${timeoutMs} ms and was stopped`);
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.busy();
      this.child.send({ ...message, id }, (error) => {
        if (error) this.end(`could not be reached: ${error.message}`);
      });
    });
  }

  private answer(message: unknown): void {
    if (message === null || typeof message !== "object") return;
    const { id, error, value } = message as { id?: unknown; error?: unknown; value?: unknown };
    const pending = typeof id === "number" ? this.pending.get(id) : undefined;
    if (pending === undefined) return;
    this.pending.delete(id as number);
    clearTimeout(pending.timer);
    if (this.pending.size === 0) this.idle();
    if (error !== undefined) pending.reject(new Error(typeof error === "string" ? error : "the confined process reported an error"));
    else pending.resolve(value);
  }

  private end(why: string): void {
    if (this.ended !== undefined) return;
    const tail = this.stderrTail.trim().split("\n").slice(-3).join(" | ");
    this.ended = tail === "" ? why : `${why} (its last output: ${tail})`;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`the confined process ${this.ended}`));
      this.pending.delete(id);
    }
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  /** Waiting on an answer keeps this process alive; an idle confined process does not. */
  private busy(): void {
    this.child.ref();
    (this.child as unknown as { channel?: { ref(): void } }).channel?.ref();
  }

  private idle(): void {
    this.child.unref();
    (this.child as unknown as { channel?: { unref(): void } }).channel?.unref();
    (this.child.stdout as unknown as { unref?(): void } | null)?.unref?.();
    (this.child.stderr as unknown as { unref?(): void } | null)?.unref?.();
  }
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

const processes = new Map<string, ConfinedProcess>();
let nextHandle = 1;

function processFor(projectRoot: string, generatedDir: string): ConfinedProcess {
  const paths = [
    path.join(projectRoot, "node_modules"),
    path.join(projectRoot, "testing"),
    path.join(projectRoot, "codegen", "core", "allowed-builtins.ts"),
    // npmAlias: how node-modules.ts finds a package installed under an npm alias.
    path.join(projectRoot, "codegen", "core", "runtime-contract.ts"),
    path.join(projectRoot, "package.json"),
    generatedDir,
  ];
  // The same folders by their real path too: Node's permission model checks the target of a link (a linked
  // node_modules, as in a workspace or a test's copy of the project), and grants nothing more than these folders.
  const readable = [...new Set(paths.flatMap((p) => [p, realPath(p)]))];
  const key = readable.join("\n");
  let running = processes.get(key);
  if (running === undefined || running.ended !== undefined) {
    running = new ConfinedProcess(projectRoot, readable);
    processes.set(key, running);
  }
  return running;
}

/**
 * Rule `name` on both targets, in a confined process (see the module comment). `outbound` stand-ins served over
 * HTTPS are trusted by that process too (their CA is sent along).
 */
export async function openConfinedPair(name: string, options: TargetPairOptions, outbound: readonly OutboundHttp[]): Promise<TargetPair> {
  const { modules, ...rest } = options;
  const projectRoot = modules?.projectRoot ?? findProjectRoot();
  const generatedDir = path.resolve(options.generatedDir ?? path.join(projectRoot, "generated"));
  // Loaded only here: the confined process itself never makes certificates.
  const caPem = outbound.some((server) => server.url.startsWith("https:")) ? (await (await import("./certificates")).testCertificates()).caPem : undefined;
  const timeoutMs = options.timeoutMs ?? 5000;
  const handle = nextHandle++;
  const open = { op: "open", handle, name, projectRoot, caPem, options: { ...rest, generatedDir } };

  let current = processFor(projectRoot, generatedDir);
  await current.request(open, OPEN_LIMIT_MS);

  return {
    async run(run: TargetRun): Promise<LoginResult> {
      try {
        if (current.ended !== undefined) {
          // A new container: the rule is loaded again (its `global` and the trigger's cache start empty).
          current = processFor(projectRoot, generatedDir);
          await current.request(open, OPEN_LIMIT_MS);
        }
        return checkedLoginResult(await current.request({ op: "run", handle, run }, timeoutMs + PROCESS_MARGIN_MS), run.target);
      } catch (error) {
        return failedLogin(run.target, `${(error as Error).message}; the login failed`);
      }
    },
    dispose() {
      if (current.ended === undefined) current.request({ op: "close", handle }, PROCESS_MARGIN_MS).catch(() => undefined);
    },
  };
}

function failedLogin(target: Target, reason: string): LoginResult {
  return {
    target,
    outcome: "failed",
    reason,
    idTokenClaims: {},
    accessTokenClaims: {},
    saml: { settings: {}, attributes: {} },
    appMetadata: {},
    userMetadata: {},
    metadataWrites: 0,
    logs: [],
    requests: [],
  };
}

const OUTCOMES: readonly string[] = ["continued", "denied", "redirected", "failed"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A LoginResult from the confined process, checked field by field (anything unexpected fails the login). */
export function checkedLoginResult(value: unknown, target: Target): LoginResult {
  const bad = (what: string) => failedLogin(target, `the confined process answered with an invalid result (${what}); the login failed`);
  if (!isRecord(value)) return bad("not an object");
  const { outcome, reason, idTokenClaims, accessTokenClaims, scopes, multifactor, redirect, saml, primaryUser, appMetadata, userMetadata, metadataWrites, logs } = value;
  if (typeof outcome !== "string" || !OUTCOMES.includes(outcome)) return bad("outcome");
  if (reason !== undefined && typeof reason !== "string") return bad("reason");
  for (const [field, data] of Object.entries({ idTokenClaims, accessTokenClaims, appMetadata, userMetadata })) if (!isRecord(data)) return bad(field);
  if (!isRecord(saml) || !isRecord(saml.settings) || !isRecord(saml.attributes)) return bad("saml");
  if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === "string"))) return bad("scopes");
  if (multifactor !== undefined && !(isRecord(multifactor) && typeof multifactor.provider === "string" && typeof multifactor.allowRememberBrowser === "boolean")) return bad("multifactor");
  if (redirect !== undefined && !(isRecord(redirect) && typeof redirect.url === "string")) return bad("redirect");
  if (primaryUser !== undefined && typeof primaryUser !== "string") return bad("primaryUser");
  if (typeof metadataWrites !== "number" || !Number.isInteger(metadataWrites)) return bad("metadataWrites");
  if (!Array.isArray(logs) || !logs.every((line) => typeof line === "string")) return bad("logs");
  return {
    target,
    outcome: outcome as LoginResult["outcome"],
    ...(reason === undefined ? {} : { reason }),
    idTokenClaims: idTokenClaims as LoginResult["idTokenClaims"],
    accessTokenClaims: accessTokenClaims as LoginResult["accessTokenClaims"],
    ...(scopes === undefined ? {} : { scopes: scopes as string[] }),
    ...(multifactor === undefined ? {} : { multifactor: multifactor as LoginResult["multifactor"] }),
    ...(redirect === undefined ? {} : { redirect: { url: (redirect as { url: string }).url } }),
    saml: { settings: saml.settings, attributes: saml.attributes },
    ...(primaryUser === undefined ? {} : { primaryUser }),
    appMetadata: appMetadata as LoginResult["appMetadata"],
    userMetadata: userMetadata as LoginResult["userMetadata"],
    metadataWrites,
    logs: logs as string[],
    requests: [],
  };
}

/**
 * Runs the native Action `name` of `generatedDir` once with `event`, in the confined process (see the module comment);
 * resolves with what the process answered (untrusted plain data: the caller checks what it reads).
 */
export async function runConfinedNative(name: string, event: object, options: { generatedDir: string; projectRoot?: string; timeoutMs?: number; outbound?: readonly OutboundHttp[] }): Promise<unknown> {
  const projectRoot = options.projectRoot ?? findProjectRoot();
  const generatedDir = path.resolve(options.generatedDir);
  const caPem = (options.outbound ?? []).some((server) => server.url.startsWith("https:")) ? (await (await import("./certificates")).testCertificates()).caPem : undefined;
  return processFor(projectRoot, generatedDir).request({ op: "native", name, event, generatedDir, projectRoot, caPem }, OPEN_LIMIT_MS + (options.timeoutMs ?? 20_000) + PROCESS_MARGIN_MS);
}
