import type { ChildProcess } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import type { CompileError } from "./errors";
import { loadNativeApi } from "./native-api";
import type { NativeApi, NativeApiModule, NativeAstModule, NativeDiagnostic, NativeProjectHandle, NativeSnapshot } from "./native-api-types";
import { nativeCompilerPath, nativeDiagnosticsToErrors, type NativeDiagnosticLine } from "./native-type-check";
import type { ProjectPaths } from "./paths";

/**
 * rules-src/tsconfig.json opened in TypeScript 7's native compiler through its checker API (native-api.ts): one
 * process that parses, binds and type-checks the whole tree in parallel Go code, then answers the analysis's questions
 * (native-semantics.ts) and gives the type errors. Opening is started before this process loads ts-morph: the request
 * is written at once and its answer read when first needed, so the native compiler parses while this thread loads.
 * Watch mode keeps one open and updates it per change.
 */
export class NativeProject {
  readonly startedAt = performance.now();
  /** When the project was ready (its parse and bind done), for --timings. */
  readyAt: number | undefined;
  private snapshot: NativeSnapshot | undefined;
  private handle: NativeProjectHandle | undefined;

  private constructor(
    readonly api: NativeApi,
    readonly module: NativeApiModule,
    readonly ast: NativeAstModule,
    private readonly configFile: string,
  ) {}

  /** Starts the native compiler on rules-src (does not wait for it); `unavailable` says why it cannot run here. */
  static start(paths: ProjectPaths): NativeProject | { unavailable: string } {
    const exe = process.env.RULES_CODEGEN_NATIVE_TSC === "off" ? undefined : nativeCompilerPath();
    if (!exe) return { unavailable: process.env.RULES_CODEGEN_NATIVE_TSC === "off" ? "RULES_CODEGEN_NATIVE_TSC=off" : "no native TypeScript compiler for this platform" };
    try {
      const { api: module, ast } = loadNativeApi();
      const api = new module.API({ tsserverPath: exe, cwd: paths.root });
      const project = new NativeProject(api, module, ast, toPosix(path.join(paths.rulesSrc, "tsconfig.json")));
      presend(api, [
        ["initialize", null],
        ["updateSnapshot", { openProjects: [project.configFile] }],
      ]);
      return project;
    } catch (e) {
      return { unavailable: `the native compiler's API failed to start: ${(e as Error).message}` };
    }
  }

  /** The open project (waits for the native compiler's parse and bind on first use). */
  project(): NativeProjectHandle {
    if (!this.handle) {
      this.snapshot = this.api.updateSnapshot({ openProjects: [this.configFile] });
      const found = this.snapshot.getProjects().find((p) => toPosix(p.configFileName) === this.configFile) ?? this.snapshot.getProjects()[0];
      if (!found) throw new Error(`the native compiler did not open ${this.configFile}`);
      this.handle = found;
      this.readyAt ??= performance.now();
    }
    return this.handle;
  }

  /** Reads the sources again (watch mode, after a change): the native compiler re-parses what changed. */
  update(changed: { changed?: string[]; created?: string[]; deleted?: string[] } | "all"): void {
    this.project();
    const previous = this.snapshot;
    this.snapshot = this.api.updateSnapshot({ openProjects: [this.configFile], fileChanges: changed === "all" ? { invalidateAll: true } : changed });
    previous?.dispose();
    this.handle = undefined;
    this.handle = this.snapshot.getProjects().find((p) => toPosix(p.configFileName) === this.configFile) ?? this.snapshot.getProjects()[0];
    if (!this.handle) throw new Error(`the native compiler did not open ${this.configFile}`);
  }

  /** Every error `tsc --noEmit -p rules-src/tsconfig.json` reports, in the compiler's form (native-type-check.ts). */
  typeErrors(root: string): CompileError[] {
    const program = this.project().program;
    const all: NativeDiagnostic[] = [
      ...program.getConfigFileParsingDiagnostics(),
      ...program.getProgramDiagnostics(),
      ...program.getSyntacticDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program.getSemanticDiagnostics(),
    ];
    const ERROR = 1; // DiagnosticCategory.Error
    const lines: NativeDiagnosticLine[] = all.filter((d) => d.category === ERROR).map((d) => ({ fileName: d.fileName, pos: d.pos, code: d.code, message: flatten(d) }));
    return nativeDiagnosticsToErrors(root, lines);
  }

  /**
   * Ends the native compiler: its input is closed, on which it exits by itself (killing it makes it print "context
   * canceled"); killed only if it has not exited within a second.
   */
  close(): Promise<void> {
    const child = (this.api as unknown as { client?: { channel?: { child?: ChildProcess } } }).client?.channel?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null || !child.stdin) {
      this.api.close();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.api.close();
        resolve();
      }, 1000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin!.end();
    });
  }
}

/** The message and its chain as `tsc --pretty false` prints them, joined as native-type-check.ts joins printed lines. */
function flatten(d: NativeDiagnostic): string {
  const lines: string[] = [d.text];
  const walk = (chain: readonly NativeDiagnostic[] | undefined, depth: number) => {
    for (const c of chain ?? []) {
      lines.push(`    ${"  ".repeat(depth)}${c.text}`);
      walk(c.messageChain, depth + 1);
    }
  };
  walk(d.messageChain, 1);
  return lines.join("\n");
}

interface ChannelInternals {
  writeTuple(type: number, name: Buffer, payload: string): void;
  getMethodBuf(method: string): Buffer;
  requestSync(method: string, payload: string): string;
}

/**
 * Writes requests to the native compiler now and answers the client's identical calls later from their responses, so
 * the compiler works while this thread goes on. Relies on the 7.0.2 client's channel (dist/api/syncChannel.js); where
 * that is not as expected, nothing is sent early and the calls run as usual.
 */
function presend(api: NativeApi, requests: [string, unknown][]): void {
  const client = (api as unknown as { client?: { channel?: ChannelInternals; apiRequest?: (method: string, params: unknown) => unknown } }).client;
  const channel = client?.channel;
  if (!client || !channel || typeof channel.writeTuple !== "function" || typeof channel.getMethodBuf !== "function" || typeof client.apiRequest !== "function") return;
  const REQUEST = 1; // MSG_REQUEST
  const queue = requests.map(([method]) => method);
  for (const [method, params] of requests) channel.writeTuple(REQUEST, channel.getMethodBuf(method), JSON.stringify(params));
  const apiRequest = client.apiRequest.bind(client);
  client.apiRequest = (method: string, params: unknown) => {
    if (queue[0] !== method) {
      if (queue.length) throw new Error(`internal: the native compiler was asked ${method} before the answer to ${queue[0]} was read`);
      return apiRequest(method, params);
    }
    queue.shift();
    // Read the answer of the request already written: the channel's own read loop, with its write skipped once.
    const write = channel.writeTuple;
    channel.writeTuple = () => {
      channel.writeTuple = write;
    };
    try {
      const text = channel.requestSync(method, "");
      return text.length ? JSON.parse(text) : undefined;
    } finally {
      channel.writeTuple = write;
    }
  };
}

const toPosix = (p: string) => p.split(path.sep).join("/");
