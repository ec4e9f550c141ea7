/**
 * A generated/ folder of hand-written rules (a Rule script and an Action module each, with their manifest and
 * hashes), for the toolkit's own tests (testing library, preview, content checks, migration): they never read the
 * live generated/.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { triggerSpec } from "../../codegen/core/triggers";

export interface FixtureRule {
  name: string;
  /** `function name(user, context, callback) {…}` (no trailing semicolon). */
  rule: string;
  /** A CommonJS module assigning exports.onExecutePostLogin. */
  action: string;
  configuration?: { key: string; secret?: boolean; required?: boolean }[];
  /** Default: 10, 20, … in the order given. */
  order?: number;
  /** `meta.sideEffect: true` (the content checks and the migration read it from the manifest). */
  sideEffect?: boolean;
}

/** A native Action (rules-src/<name>.action.ts compiled): a CommonJS module exporting its trigger's handler. */
export interface FixtureNativeAction {
  name: string;
  trigger: string;
  code: string;
  /** The event.secrets keys it reads. */
  secrets?: string[];
  /** Default: 10, 20, … in the order given. */
  order?: number;
}

const sha256 = (text: string) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");

/** Writes the folder (under the OS's temporary folder) and returns its path; remove it with fs.rmSync. */
export function writeGeneratedFixture(rules: FixtureRule[], nativeActions: FixtureNativeAction[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "generated-fixture-"));
  fs.mkdirSync(path.join(dir, "rules"));
  fs.mkdirSync(path.join(dir, "actions"));
  for (const r of rules) {
    fs.writeFileSync(path.join(dir, "rules", `${r.name}.js`), r.rule);
    fs.writeFileSync(path.join(dir, "actions", `${r.name}.js`), r.action);
  }
  for (const a of nativeActions) fs.writeFileSync(path.join(dir, "actions", `${a.name}.js`), a.code);
  const manifest = {
    generator: "test fixture (test/support/generated-fixture.ts)",
    rules: rules.map((r, index) => ({
      name: r.name,
      ...(r.sideEffect ? { sideEffect: true } : {}),
      source: `rules-src/${r.name}.rule.ts`,
      order: r.order ?? (index + 1) * 10,
      enabled: true,
      script: `rules/${r.name}.js`,
      sha256: sha256(r.rule),
      configuration: (r.configuration ?? []).map((c) => ({ key: c.key, required: c.required ?? false, secret: c.secret ?? false })),
      modules: [],
      action: { script: `actions/${r.name}.js`, sha256: sha256(r.action), dependencies: [], noCounterpart: [] },
    })),
    ...(nativeActions.length === 0
      ? {}
      : {
          actions: nativeActions.map((a, index) => {
            const spec = triggerSpec(a.trigger);
            if (!spec) throw new Error(`writeGeneratedFixture: unknown trigger ${a.trigger}`);
            return {
              kind: "native",
              name: a.name,
              source: `rules-src/${a.name}.action.ts`,
              trigger: spec.id,
              version: spec.version,
              order: a.order ?? (index + 1) * 10,
              runtime: "node22",
              script: `actions/${a.name}.js`,
              sha256: sha256(a.code),
              handlers: [spec.handler],
              dependencies: [],
              secrets: a.secrets ?? [],
            };
          }),
        }),
  };
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}
