import { performance } from "perf_hooks";
import { checkGenerated, generate, type GenerateOptions } from "./generate";
import { describeFailure, describeGenerate, describeSources, internalError } from "./report";
import type { Timings } from "../core/timings";

/** Where a command's report goes: this process's console (a single run), or watch mode's one stream. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

export const CONSOLE_OUTPUT: CommandOutput = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

export interface CompileCommand {
  /** `--check`: compare generated/ with what rules-src compiles to, write nothing there. */
  check: boolean;
  root?: string;
  noCache?: boolean;
  timings?: Timings;
  /** When the command began (performance.now() time), for the seconds in its report. */
  startedAt?: number;
}

export interface CommandSession extends Pick<GenerateOptions, "session" | "cacheWrites"> {
  /** Called before a compile during which the session's native compiler ended is compiled once more (with a new one). */
  onRetry?: () => void;
}

/**
 * `npm run generate` and `npm run generate -- --check`, printing what they did and what to do next; the exit code.
 * The same in a single run and in watch mode (watch.ts), which passes its session and cache writes. An error that is
 * not a problem of rules-src is printed as an internal error of the compiler, unless the session's native compiler ended during the compile (killed, crashed): then it is compiled once
 * more, with a new native compiler (the command's --timings count both attempts).
 */
export async function runCompileCommand(command: CompileCommand, output: CommandOutput, extra: CommandSession = {}, retried = false): Promise<number> {
  const started = command.startedAt ?? performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  const options: GenerateOptions = { root: command.root, noCache: command.noCache, timings: command.timings, session: extra.session, cacheWrites: extra.cacheWrites };
  const timings = () => {
    if (command.timings) output.out(command.timings.format());
  };
  try {
    if (command.check) {
      const result = await checkGenerated(options);
      timings();
      if (result.cacheWarning) output.err(`warning: ${result.cacheWarning}`);
      if (result.ok) {
        output.out(`generated/ is up to date with rules-src/ (${describeSources(result)}, checked in ${seconds()} s).`);
        return 0;
      }
      output.err(result.report);
      output.err(`\ngenerated/ does not match rules-src/. Run \`npm run generate\`, review \`git diff generated/\` and commit it; never edit generated/ by hand.`);
      return 1;
    }
    const result = await generate(options);
    timings();
    if (result.cacheWarning) output.err(`warning: ${result.cacheWarning}`);
    output.out(describeGenerate(result, seconds()));
    return 0;
  } catch (e) {
    const report = describeFailure(e);
    if (!report && !retried && (await extra.session?.nativeEnded())) {
      extra.onRetry?.();
      return runCompileCommand({ ...command, startedAt: started }, output, extra, true);
    }
    timings();
    output.err(report ?? internalError(e));
    return 1;
  }
}
