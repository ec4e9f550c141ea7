import { formatJavaScript } from "./format";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const output = require("./output-format") as { transpile(code: string): string; format(code: string): Promise<string> };

/**
 * Which threads format (RULES_CODEGEN_FORMAT_THREADS): unset, both (this thread takes batches while it would otherwise
 * wait for the worker), or this thread alone for a formatter made with `worker: false`; `worker`, the worker alone;
 * `main`, this thread alone. test/toolkit/codegen/generate.test.ts compares
 * the bytes of all three (the same module and options on both threads: the same bytes).
 */
const formatsHere = () => process.env.RULES_CODEGEN_FORMAT_THREADS !== "worker";
const formatsInWorker = () => process.env.RULES_CODEGEN_FORMAT_THREADS !== "main";

/** Lets the event loop turn: the worker's finished batches are taken in (and it is given the next) only then. */
export const eventLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A fragment of a generated script: "block" pieces are statements that sit directly inside a function body
 * (formatted at one level of indentation); "top" pieces are top-level code (the function signatures).
 */
export interface Piece {
  kind: "block" | "top";
  /** TypeScript (or plain JavaScript) source. */
  source: string;
  /** A block of an async function (it may `await`): formatted inside an async wrapper. */
  async?: boolean;
}

const BOUNDARY = "__codegen_piece_boundary__";

interface Chunk {
  pieces: Piece[];
  settled?: boolean;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Transpiles and formats pieces in batches (one TypeScript transpile and one prettier run per batch), and memoises
 * each piece by its source text, so helpers shared by many rules are formatted once. Prettier formats the statements
 * of a block independently of their neighbours, so a block piece formatted inside a wrapper function has exactly the
 * text it has inside the rule function (test/toolkit/codegen/formatting.test.ts checks the assembled scripts are prettier
 * fixpoints). Batches wait in a queue: the formatting worker takes them one at a time, and a caller waiting in
 * formatAll takes them too rather than wait (a cold compile of many rules is formatted by both threads).
 */
export class PieceFormatter {
  private readonly done = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly queue: Chunk[] = [];
  /** The batch the worker is on (undefined when it is idle). */
  private onWorker: Chunk | undefined;
  /** Batches (and their pieces) formatted by each thread, for --timings. */
  readonly formattedBy = { here: { batches: 0, pieces: 0 }, worker: { batches: 0, pieces: 0 } };

  /**
   * `worker: false`: this thread formats alone and the formatting worker is not started (a compile of a rule or two,
   * whose few new pieces are formatted sooner here than a worker thread starts and loads prettier).
   */
  constructor(
    initial?: Iterable<[string, string]>,
    private readonly options: { worker?: boolean } = {},
  ) {
    for (const [k, v] of initial ?? []) this.done.set(k, v);
  }

  /** Whether batches go to the formatting worker (and so whether it is worth starting early). */
  get usesWorker(): boolean {
    return process.env.RULES_CODEGEN_FORMAT_THREADS === "worker" || (this.options.worker !== false && formatsInWorker());
  }

  private key(piece: Piece): string {
    return `${piece.kind}${piece.async ? "-async" : ""}\0${piece.source}`;
  }

  /**
   * Queues the pieces not formatted or in flight yet, without waiting: the compiler hands over each chunk of rules as
   * soon as it is analysed, so the worker formats while the main thread goes on.
   */
  prefetch(pieces: Piece[]): void {
    for (const p of pieces) this.used.add(this.key(p));
    const pending = [
      ...new Map(pieces.filter((p) => !this.done.has(this.key(p)) && !this.inFlight.has(this.key(p))).map((p) => [this.key(p), p])).values(),
    ];
    if (pending.length === 0) return;
    let settle: Pick<Chunk, "resolve" | "reject"> | undefined;
    const work = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    work.catch(() => undefined); // surfaced by formatAll
    this.queue.push({ pieces: pending, ...settle! });
    for (const p of pending) this.inFlight.set(this.key(p), work);
    this.pump();
  }

  /** Formats every piece not formatted before (taking queued batches on this thread meanwhile), and waits for all. */
  async formatAll(pieces: Piece[]): Promise<void> {
    this.prefetch(pieces);
    while ((formatsHere() || !this.usesWorker) && this.queue.length) {
      await this.run(this.queue.shift()!, "here");
      await eventLoopTurn();
    }
    // The worker's batch too, rather than wait for it: on a busy machine the worker can be far slower than this thread
    // (whichever finishes first settles it; both give the same text).
    if (formatsHere() && this.onWorker && this.onWorker.pieces.length > 2) await this.run(this.onWorker, "here");
    await Promise.all(new Set(this.inFlight.values()));
    this.inFlight.clear();
  }

  /** The formatted text of a piece already passed to formatAll: lines without a trailing newline. */
  get(piece: Piece): string {
    const text = this.done.get(this.key(piece));
    if (text === undefined) throw new Error(`internal: piece not formatted: ${piece.source.slice(0, 60)}`);
    return text;
  }

  /** The pieces used since this formatter was made (what is worth caching for the next run). */
  usedEntries(): [string, string][] {
    return [...this.used].sort().map((k) => [k, this.done.get(k)!]);
  }

  /** Keeps the worker on the oldest queued batch. */
  private pump(): void {
    if (this.onWorker || !this.usesWorker) return;
    const chunk = this.queue.shift();
    if (!chunk) return;
    this.onWorker = chunk;
    void this.run(chunk, "worker")
      .catch(() => undefined) // rejected through the chunk's promise
      .finally(() => {
        this.onWorker = undefined;
        this.pump();
      });
  }

  private async run(chunk: Chunk, where: "worker" | "here"): Promise<void> {
    const { pieces } = chunk;
    if (chunk.settled) return;
    const source =
      pieces.map((p, i) => `${BOUNDARY}(${i});\n${p.kind === "block" ? `${p.async ? "async " : ""}function __piece() {\n${p.source}\n}` : p.source}\n`).join("") + `${BOUNDARY}(${pieces.length});\n`;
    try {
      // Transpiled on this thread, which has TypeScript loaded: the worker only runs prettier and never loads TypeScript.
      const javascript = output.transpile(source);
      const formatted = where === "here" ? await output.format(javascript) : await formatJavaScript(javascript);
      if (chunk.settled) return;
      const sections = splitSections(formatted, pieces.length);
      pieces.forEach((p, i) => this.done.set(this.key(p), p.kind === "block" ? unwrapBlock(sections[i]) : sections[i]));
      chunk.settled = true;
      this.formattedBy[where].batches++;
      this.formattedBy[where].pieces += pieces.length;
      chunk.resolve();
    } catch (e) {
      if (chunk.settled) return;
      chunk.settled = true;
      chunk.reject(e);
      throw e;
    }
  }
}

function splitSections(formatted: string, count: number): string[] {
  const lines = formatted.split("\n");
  const sections: string[][] = [];
  let current: string[] | undefined;
  const marker = new RegExp(`^${BOUNDARY}\\((\\d+)\\);$`);
  for (const line of lines) {
    const m = marker.exec(line);
    if (m) {
      if (current) sections.push(current);
      current = Number(m[1]) < count ? [] : undefined;
      continue;
    }
    current?.push(line);
  }
  if (sections.length !== count) throw new Error(`internal: expected ${count} formatted pieces, found ${sections.length}`);
  return sections.map((s) => trimBlankLines(s).join("\n"));
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === "") start++;
  while (end > start && lines[end - 1].trim() === "") end--;
  return lines.slice(start, end);
}

function unwrapBlock(section: string): string {
  section = section.replace(/^async function __piece\(\)/, "function __piece()");
  if (section === "function __piece() {}") return "";
  const lines = section.split("\n");
  if (lines[0] !== "function __piece() {" || lines[lines.length - 1] !== "}") throw new Error(`internal: unexpected formatted piece:\n${section}`);
  return trimBlankLines(lines.slice(1, -1)).join("\n");
}
