import { performance } from "perf_hooks";

/** The phases of one compile, in the order `npm run generate -- --timings` prints them. */
export const PHASES = [
  "process start",
  "reading sources and caches",
  "loading ts-morph/TypeScript",
  "parse and bind",
  "analysis and inlining",
  "formatting",
  "checks before writing",
  "type-check",
  "writing",
] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Wall time per phase of one compile on the main thread. Work that runs in parallel (the native type-check process,
 * the formatting worker) is charged to the phase in which the main thread waits for it, and its own duration is kept
 * as a note, so the phases add up to the run's wall time.
 */
export class Timings {
  private readonly spent = new Map<Phase, number>();
  private readonly notes: string[] = [];
  private last: number;

  /** `since`: when the first phase began (performance.now() time; 0 is the start of the process). */
  constructor(readonly since = performance.now()) {
    this.last = since;
  }

  /** Charges the time since the previous mark to `phase`. */
  mark(phase: Phase): void {
    const now = performance.now();
    this.spent.set(phase, (this.spent.get(phase) ?? 0) + (now - this.last));
    this.last = now;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  get(phase: Phase): number {
    return this.spent.get(phase) ?? 0;
  }

  format(): string {
    const total = [...this.spent.values()].reduce((a, b) => a + b, 0);
    const width = Math.max(...PHASES.map((p) => p.length));
    const lines = PHASES.map((p) => `  ${p.padEnd(width)}  ${this.get(p).toFixed(0).padStart(6)} ms`);
    return ["Timings (wall time on the main thread):", ...lines, `  ${"total".padEnd(width)}  ${total.toFixed(0).padStart(6)} ms`, ...this.notes.map((n) => `  ${n}`)].join("\n");
  }
}
