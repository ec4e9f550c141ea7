import * as path from "path";
import { Worker } from "worker_threads";

/** The converted Action's formatting: TypeScript, prettier, 120 columns (as rules-src/ is written). */
const OPTIONS = { parser: "typescript", printWidth: 120, tabWidth: 2, semi: true, singleQuote: false, trailingComma: "all", arrowParens: "always", endOfLine: "lf" };

export function formatTypeScript(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, "format-worker.js"), { workerData: { code, options: OPTIONS } });
    worker.once("message", (message: { formatted?: string; error?: string }) => {
      void worker.terminate();
      if (message.formatted !== undefined) resolve(message.formatted);
      else reject(new Error(`prettier could not format the converted Action: ${message.error}`));
    });
    worker.once("error", reject);
  });
}
