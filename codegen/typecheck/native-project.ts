import type { ChildProcess } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import type { CompileError } from "../core/errors";
import { loadNativeApi } from "./native-api";
import type { NativeApi, NativeApiModule, NativeAstModule, NativeDiagnostic, NativeProjectHandle, NativeSnapshot } from "./native-api-types";
import { nativeCompilerPath, nativeDiagnosticsToErrors, type NativeDiagnosticLine } from "./native-type-check";
import { canonicalFileName } from "../core/file-names";
import type { ProjectPaths } from "../core/paths";
import { watchdogForgets, watchdogTracks } from "./watchdog";

/**
 * rules-src/tsconfig.json opened in TypeScript 7's native compiler through its checker API (native-api.ts): one
 * process that parses, binds and type-checks the whole tree in parallel Go code, then answers the analysis's questions
 * (native-semantics.ts) and gives the type errors. Opening is started before this process loads ts-morph: the request
 * is written at once and its answer read when first needed, so the native compiler parses while this thread loads.
 * Watch mode keeps one open and updates it per change.
 */
export class NativeProject {
  readonly startedAt = performance.now();
  /** When this process had the open project (it waits for the native compiler's parse and bind), for --timings. */
  readyAt: number | undefined;
  private snapshot: NativeSnapshot | undefined;
  private handle: NativeProjectHandle | undefined;
  /** Set when the native compiler's process has ended (killed, crashed) without close(): the project is unusable. */
  exited = false;

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
      project.followProcess();
      // The first snapshot of a new process is number 1, and a project is named by its config file's path: the
      // type-check's requests (typeErrors) are written now too, so the native compiler checks while this thread loads.
      const ids = { snapshot: 1, project: canonicalFileName(project.configFile) };
      presend(api, [
        ["initialize", null, "method"],
        ["updateSnapshot", { openProjects: [project.configFile] }, "method"],
        ...DIAGNOSTICS.map((method): EarlyRequest => [method, ids, "params"]),
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

  /**
   * Reads the sources again (watch mode, after a change): the native compiler re-parses what changed. `affected`: the
   * files whose type errors can have changed (the changed ones and those that import them), or "all".
   */
  update(changes: { changed?: string[]; created?: string[]; deleted?: string[] }, affected: ReadonlySet<string> | "all"): void {
    this.project();
    if (affected === "all" || !this.checked) this.checked = undefined;
    else for (const file of affected) this.stale.add(canonicalFileName(file));
    const previous = this.snapshot;
    this.snapshot = this.api.updateSnapshot({ openProjects: [this.configFile], fileChanges: changes });
    previous?.dispose();
    this.handle = this.snapshot.getProjects().find((p) => toPosix(p.configFileName) === this.configFile) ?? this.snapshot.getProjects()[0];
    if (!this.handle) throw new Error(`the native compiler did not open ${this.configFile}`);
  }

  /** The diagnostics of the last check: those without a file, and per file (a file without any is absent). */
  private checked: { global: NativeDiagnostic[]; files: Map<string, NativeDiagnostic[]> } | undefined;
  /** Files to ask again (update's `affected`). */
  private readonly stale = new Set<string>();

  /**
   * Every error `tsc --noEmit -p rules-src/tsconfig.json` reports, in the compiler's form (native-type-check.ts). After
   * an update, only the affected files are checked again; the others' errors are the previous check's.
   */
  typeErrors(root: string): CompileError[] {
    const program = this.project().program;
    if (!this.checked) {
      const checked = { global: [] as NativeDiagnostic[], files: new Map<string, NativeDiagnostic[]>() };
      for (const d of DIAGNOSTICS.flatMap((method) => program[method]())) {
        if (d.fileName === undefined) checked.global.push(d);
        else checked.files.set(canonicalFileName(toPosix(d.fileName)), [...(checked.files.get(canonicalFileName(toPosix(d.fileName))) ?? []), d]);
      }
      this.checked = checked;
    } else {
      for (const file of this.stale) {
        const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
        if (found.length) this.checked.files.set(file, found);
        else this.checked.files.delete(file);
      }
    }
    this.stale.clear();
    const all = [...this.checked.global, ...[...this.checked.files.values()].flat()];
    const ERROR = 1; // DiagnosticCategory.Error
    const lines: NativeDiagnosticLine[] = all.filter((d) => d.category === ERROR).map((d) => ({ fileName: d.fileName, pos: d.pos, code: d.code, message: flatten(d) }));
    return nativeDiagnosticsToErrors(root, lines);
  }

  /**
   * When the native compiler's process ends, Node closes the pipes the channel writes and reads by their descriptor
   * numbers (dist/api/syncChannel.js), and the next socket or file this process opens can get those numbers: a request
   * after that would be written into it (a long-lived process's next connection would receive the channel's bytes). So the
   * channel is closed at once, in the same event as the exit: a later request throws "SyncRpcChannel is closed", and a
   * session (watch mode) starts a new native compiler when it sees `exited`. The watchdog of a
   * long-lived process (watchdog.ts) is told of the process, to end it with this one when it hangs.
   */
  private followProcess(): void {
    const channel = (this.api as unknown as { client?: { channel?: { child?: ChildProcess; readFd?: number; writeFd?: number } } }).client?.channel;
    const pid = channel?.child?.pid;
    watchdogTracks(pid);
    channel?.child?.once("exit", () => {
      this.exited = true;
      channel.readFd = -1;
      channel.writeFd = -1;
      watchdogForgets(pid);
    });
  }

  /**
   * Ends the native compiler: its input is closed, on which it exits by itself (killing it makes it print "context
   * canceled"); killed only if it has not exited within a second.
   */
  close(): Promise<void> {
    if (this.exited) {
      // Only the channel's own close (its pipes' streams): the API's close would first send the process releases.
      (this.api as unknown as { client?: { close?: () => void } }).client?.close?.();
      return Promise.resolve();
    }
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

/** What `tsc` reports, in the order it asks for it. */
const DIAGNOSTICS = ["getConfigFileParsingDiagnostics", "getProgramDiagnostics", "getSyntacticDiagnostics", "getGlobalDiagnostics", "getSemanticDiagnostics"] as const;

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
  child?: { stdout?: { _handle?: { readStop?: () => number } } };
  writeTuple(type: number, name: Buffer, payload: string): void;
  getMethodBuf(method: string): Buffer;
  requestSync(method: string, payload: string): string;
}

/** A request written before the client makes it: `params` undefined matches the method whatever its parameters. */
type EarlyRequest = [method: string, params: unknown, match: "method" | "params"];

/**
 * Writes requests to the native compiler now and answers the client's same calls later from their responses, so the
 * compiler works while this thread goes on (the channel answers requests in order). A call that is not the one
 * guessed (other parameters) drops the early answers up to the one it is, and is asked as usual. Relies on the 7.0.2
 * client's channel (dist/api/syncChannel.js); where that is not as expected, nothing is sent early.
 */
function presend(api: NativeApi, requests: EarlyRequest[]): void {
  const client = (api as unknown as { client?: { channel?: ChannelInternals; apiRequest?: (method: string, params: unknown) => unknown } }).client;
  const channel = client?.channel;
  const pipe = channel?.child?.stdout?._handle;
  if (!client || !channel || typeof channel.writeTuple !== "function" || typeof channel.getMethodBuf !== "function" || typeof client.apiRequest !== "function") return;
  // The channel reads answers synchronously and never lets the event loop turn between a request and its answer; an
  // answer that waits while the event loop turns must not be read by the stream of the child's output instead.
  if (typeof pipe?.readStop !== "function") return;
  pipe.readStop();
  const REQUEST = 1; // MSG_REQUEST
  const queue = requests.map(([method, params, match]) => ({ method, payload: JSON.stringify(params), match }));
  for (const r of queue) channel.writeTuple(REQUEST, channel.getMethodBuf(r.method), r.payload);
  // The answer to the oldest request written: the channel's own read loop, with its write skipped once.
  const readAnswer = (method: string): unknown => {
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
  const apiRequest = client.apiRequest.bind(client);
  client.apiRequest = (method: string, params: unknown) => {
    while (queue.length) {
      const early = queue.shift()!;
      const wanted = early.method === method && (early.match === "method" || early.payload === JSON.stringify(params));
      if (wanted) return readAnswer(early.method);
      try {
        readAnswer(early.method);
      } catch {
        // the answer to a request nobody made
      }
    }
    return apiRequest(method, params);
  };
}

const toPosix = (p: string) => p.split(path.sep).join("/");
