/**
 * Writes a set of files all or nothing, as the compiler writes generated/: every new content goes to a temporary
 * file next to its target first; only when all of them are on disk are they renamed into place. If a rename fails,
 * the files already replaced get their previous content back, so a failed import leaves the project as it was.
 */
import * as fs from "fs";
import * as path from "path";
import type { FileWrite } from "./import-plan";

export function writeAllOrNothing(root: string, writes: FileWrite[]): void {
  const staged: { target: string; temp?: string; previous: string | undefined }[] = [];
  try {
    for (const write of writes) {
      const target = path.join(root, write.file);
      const previous = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
      if (write.content === null) {
        staged.push({ target, previous });
        continue;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temp = `${target}.import-${process.pid}.tmp`;
      fs.writeFileSync(temp, write.content);
      staged.push({ target, temp, previous });
    }
  } catch (error) {
    for (const entry of staged) if (entry.temp) fs.rmSync(entry.temp, { force: true });
    throw error;
  }
  const done: typeof staged = [];
  try {
    for (const entry of staged) {
      if (entry.temp) fs.renameSync(entry.temp, entry.target);
      else fs.rmSync(entry.target, { force: true });
      done.push(entry);
    }
  } catch (error) {
    for (const entry of done) {
      if (entry.previous === undefined) fs.rmSync(entry.target, { force: true });
      else fs.writeFileSync(entry.target, entry.previous);
    }
    for (const entry of staged) if (entry.temp) fs.rmSync(entry.temp, { force: true });
    throw error;
  }
}
