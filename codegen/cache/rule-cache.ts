import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { CompiledRuleWithDependencies } from "../pipeline/compile";
import { readJsonFile, WRITE_NOW, writeJsonFile, type ScheduleWrite } from "./cache";
import type { ProjectPaths } from "../core/paths";
import { sha256Text } from "../core/text-hash";

/**
 * The per-rule cache behind incremental compiles (.cache/codegen/rules.json, gitignored): each rule's compile result
 * with the files of rules-src it depends on (its own file, its transitive helpers, types/ and files that declare
 * globals; see analysis-program.ts) and a hash of their contents. A rule is compiled again only when one of those
 * files changed; every other rule's result is taken from here. The scripts themselves are not kept twice: the cache
 * holds their SHA-256 (as the manifest does), and a reused rule's scripts are generated/'s files when, and only when,
 * their hash is that one (a hand-edited or missing file makes the rule compile again, so `--check` still compares
 * generated/ with a real compile's output). The cache is only valid for the same compiler, the same package.json and
 * installed versions, and the same set of non-rule file names in rules-src (a new or removed helper can change how an
 * import resolves). `inputKey` is that of the last compile: when it is today's, every rule is reused without starting
 * the compiler.
 */
type StoredRule = (Omit<Extract<CompiledRuleWithDependencies, { kind?: undefined }>, "script" | "actionScript"> | Omit<Extract<CompiledRuleWithDependencies, { kind: "native" }>, "actionScript">) & {
  /** Absent for a native Action (it has no Rule script). */
  scriptSha256?: string;
  actionScriptSha256: string;
};

export interface RuleRecord {
  /** Hash of the contents of `rule.dependencies` when the rule was compiled. */
  key: string;
  rule: StoredRule;
}

interface RuleCacheFile {
  scope: string;
  inputKey: string;
  rules: Record<string, RuleRecord>;
}

const FILE = "rules.json";
const RESOLVABLE = /\.([cm]?[jt]sx?|json)$/;
/** What the rule cache's validity depends on besides each rule's own dependencies. */
export function ruleCacheScope(environment: string, sources: ReadonlyMap<string, Buffer>): string {
  const hash = createHash("sha256").update(`environment\0${environment}\0`);
  for (const file of [...sources.keys()].sort()) if (!isRuleFile(file) && RESOLVABLE.test(file)) hash.update(`file\0${file}\0`);
  return hash.digest("hex");
}

/** rules-src/<name>.rule.ts or <name>.action.ts (the cache's keys are these files relative to rules-src). */
export function isRuleFile(file: string): boolean {
  return !file.includes("/") && (file.endsWith(".rule.ts") || file.endsWith(".action.ts"));
}

/** Each source's own hash, computed once per read of the sources (many rules share their helpers). */
const contentHashes = new WeakMap<Buffer, string>();
function contentHash(content: Buffer): string {
  let found = contentHashes.get(content);
  if (found === undefined) contentHashes.set(content, (found = createHash("sha256").update(content).digest("hex")));
  return found;
}

/** Hash of the named files' contents, or undefined when one of them is gone. */
export function dependencyKey(dependencies: readonly string[], sources: ReadonlyMap<string, Buffer>): string | undefined {
  const hash = createHash("sha256");
  for (const file of [...dependencies].sort()) {
    const content = sources.get(file);
    if (content === undefined) return undefined;
    hash.update(`${file}\0${contentHash(content)}\0`);
  }
  return hash.digest("hex");
}

export interface ReusableRules {
  /** Rule file (relative to rules-src) → its result, for the rules whose dependencies and generated files are unchanged. */
  rules: Map<string, CompiledRuleWithDependencies>;
  /** The last compile had these very inputs and every one of its rules is reusable: nothing needs compiling. */
  complete: boolean;
}

/** The input key of the last compile the rule cache holds (read once: readRuleCache then uses the same reading). */
export function lastInputKey(paths: ProjectPaths): string | undefined {
  return readJsonFile<RuleCacheFile>(path.join(paths.cache, FILE))?.inputKey;
}

/** The reusable rules, with their scripts from generated/ (`onDisk`: its files, relative paths → contents). */
export function readRuleCache(paths: ProjectPaths, scope: string, inputKey: string, sources: ReadonlyMap<string, Buffer>, onDisk: ReadonlyMap<string, string>): ReusableRules {
  const rules = new Map<string, CompiledRuleWithDependencies>();
  const data = readJsonFile<RuleCacheFile>(path.join(paths.cache, FILE));
  if (!data || data.scope !== scope || !data.rules) return { rules, complete: false };
  let all = true;
  for (const [file, record] of Object.entries(data.rules)) {
    const { scriptSha256, actionScriptSha256, ...rest } = record.rule;
    const native = rest.kind === "native";
    const script = native ? "" : onDisk.get(`rules/${rest.meta.name}.js`);
    const actionScript = onDisk.get(`actions/${rest.meta.name}.js`);
    const valid =
      sources.has(file) &&
      dependencyKey(rest.dependencies, sources) === record.key &&
      script !== undefined &&
      actionScript !== undefined &&
      (native || sha256Text(script) === scriptSha256) &&
      sha256Text(actionScript) === actionScriptSha256;
    if (valid) rules.set(file, rest.kind === "native" ? { ...rest, actionScript } : { ...rest, script: script!, actionScript });
    else all = false;
  }
  return { rules, complete: all && data.inputKey === inputKey };
}

export function writeRuleCache(
  paths: ProjectPaths,
  scope: string,
  inputKey: string,
  sources: ReadonlyMap<string, Buffer>,
  rules: Iterable<[string, CompiledRuleWithDependencies]>,
  schedule?: ScheduleWrite,
): void {
  const data: RuleCacheFile = { scope, inputKey, rules: {} };
  for (const [file, rule] of rules) {
    const key = dependencyKey(rule.dependencies, sources);
    if (!key) continue;
    if (rule.kind === "native") {
      const { actionScript, ...rest } = rule;
      data.rules[file] = { key, rule: { ...rest, actionScriptSha256: sha256Text(actionScript) } };
    } else {
      const { script, actionScript, ...rest } = rule;
      data.rules[file] = { key, rule: { ...rest, scriptSha256: sha256Text(script), actionScriptSha256: sha256Text(actionScript) } };
    }
  }
  writeJsonFile(paths.cache, FILE, data, schedule);
  // Whole outputs by input hash, the cache of earlier compiler versions, are not read any more: removed with the write
  // (in watch mode, when the saves pause, not on every rebuild).
  (schedule ?? WRITE_NOW)(() => {
    try {
      for (const old of fs.readdirSync(paths.cache).filter((f) => /^[0-9a-f]{64}\.json$/.test(f))) fs.rmSync(path.join(paths.cache, old), { force: true });
    } catch {
      // no cache folder yet
    }
  });
}
