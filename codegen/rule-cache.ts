import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { CompiledRuleWithDependencies } from "./compile";
import type { ProjectPaths } from "./paths";

/**
 * The per-rule cache behind incremental compiles (.cache/codegen/rules.json, gitignored): each rule's compiled
 * output with the files of rules-src it depends on (its own file, its transitive helpers, types/ and files that declare
 * globals; see analysis-program.ts) and a hash of their contents. A rule is compiled again only when one of those
 * files changed; every other rule's output is taken from here. The cache is only valid for the same compiler, the
 * same package.json and installed versions, and the same set of non-rule file names in rules-src (a new or removed
 * helper can change how an import resolves).
 */
export interface RuleRecord {
  /** Hash of the contents of `rule.dependencies` when the rule was compiled. */
  key: string;
  rule: CompiledRuleWithDependencies;
}

interface RuleCacheFile {
  scope: string;
  rules: Record<string, RuleRecord>;
}

const FILE = "rules.json";
/** Files an import can resolve to (an editor's swap or backup file cannot). */
const RESOLVABLE = /\.([cm]?[jt]sx?|json)$/;

/** What the whole cache is valid for: the environment (cache.ts: compiler, package.json, installed versions) and the names of the files rules can import. */
export function ruleCacheScope(environment: string, sources: ReadonlyMap<string, Buffer>): string {
  const hash = createHash("sha256").update(`environment\0${environment}\0`);
  for (const file of [...sources.keys()].sort()) if (!isRuleFile(file) && RESOLVABLE.test(file)) hash.update(`file\0${file}\0`);
  return hash.digest("hex");
}

/** A top-level `<name>.rule.ts` of rules-src (paths relative to rules-src). */
export function isRuleFile(file: string): boolean {
  return !file.includes("/") && file.endsWith(".rule.ts");
}

/** Hash of the current contents of a rule's dependencies; undefined when one of them is gone. */
export function dependencyKey(dependencies: readonly string[], sources: ReadonlyMap<string, Buffer>): string | undefined {
  const hash = createHash("sha256");
  for (const file of [...dependencies].sort()) {
    const content = sources.get(file);
    if (content === undefined) return undefined;
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex");
}

/** The cached rules still valid for these sources, by rule file (relative to rules-src). */
export function readRuleCache(paths: ProjectPaths, scope: string, sources: ReadonlyMap<string, Buffer>): Map<string, CompiledRuleWithDependencies> {
  const valid = new Map<string, CompiledRuleWithDependencies>();
  let data: RuleCacheFile;
  try {
    data = JSON.parse(fs.readFileSync(path.join(paths.cache, FILE), "utf8")) as RuleCacheFile;
  } catch {
    return valid;
  }
  if (data.scope !== scope) return valid;
  for (const [file, record] of Object.entries(data.rules)) {
    if (sources.has(file) && dependencyKey(record.rule.dependencies, sources) === record.key) valid.set(file, record.rule);
  }
  return valid;
}

/** Stores every rule of a successful compile; a cache that cannot be written is only slower. */
export function writeRuleCache(paths: ProjectPaths, scope: string, sources: ReadonlyMap<string, Buffer>, rules: Iterable<[string, CompiledRuleWithDependencies]>): void {
  const data: RuleCacheFile = { scope, rules: {} };
  for (const [file, rule] of rules) {
    const key = dependencyKey(rule.dependencies, sources);
    if (key) data.rules[file] = { key, rule };
  }
  try {
    fs.mkdirSync(paths.cache, { recursive: true });
    const tmp = path.join(paths.cache, `${FILE}.tmp-${process.pid}`);
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, path.join(paths.cache, FILE));
  } catch {
    // ignore: the cache is an optimisation
  }
}
