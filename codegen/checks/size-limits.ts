/**
 * Auth0's size limits, enforced at generate time rather than by Auth0 at deploy time: an Action's code is limited to
 * 100 kB (Actions limitations page), and a Rule script is held to the same 100 kB, Auth0's documented size for the
 * implementation of rules (a recommendation for all enabled rules together; no hard per-rule limit is documented).
 * The error names the rule, the size, and what in the rule contributes most (inlined helpers, the rule's own body,
 * the Rules-to-Actions adapter), so the author knows what to shrink.
 */
import { CompileError } from "../core/errors";
import type { InlinedRule } from "../analysis/inliner";
import type { RuleModule } from "../analysis/rule-module";
import { metaNameLocation } from "../analysis/rule-names";

/** 100 kB, read as 100 000 bytes (the stricter reading of "kB"). */
export const MAX_ACTION_CODE_BYTES = 100_000;
export const MAX_RULE_SCRIPT_BYTES = 100_000;

export interface SizedRule {
  rule: RuleModule;
  inlined: InlinedRule;
  /** generated/rules/<name>.js */
  script: string;
  /** generated/actions/<name>.js */
  action: string;
}

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

/** What a helper unit declares (`function inlineTable`, `const TABLE`), to name it in the report. */
function unitLabel(unit: string): string {
  const declared = /^\s*(?:export\s+)?(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/m.exec(unit);
  return declared ? `helper ${declared[1]}` : `helper "${unit.trim().slice(0, 30)}…"`;
}

function contributors(sized: SizedRule, includeAdapter: boolean): string {
  const parts = [
    ...sized.inlined.units.map((unit) => ({ label: unitLabel(unit), size: bytes(unit) })),
    { label: "the rule's own body", size: bytes(sized.inlined.body) },
  ];
  if (includeAdapter) {
    const rest = bytes(sized.action) - parts.reduce((sum, p) => sum + p.size, 0);
    if (rest > 0) parts.push({ label: "the Rules-to-Actions adapter and requires", size: rest });
  }
  return parts
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((p) => `${p.label} ${kB(p.size)}`)
    .join(", ");
}

export function sizeLimitProblems(root: string, rules: readonly SizedRule[]): CompileError[] {
  const errors: CompileError[] = [];
  for (const sized of rules) {
    const name = sized.rule.meta.name;
    const checks = [
      { what: "a Rule script", file: `generated/rules/${name}.js`, size: bytes(sized.script), limit: MAX_RULE_SCRIPT_BYTES, adapter: false },
      { what: "Action code", file: `generated/actions/${name}.js`, size: bytes(sized.action), limit: MAX_ACTION_CODE_BYTES, adapter: true },
    ];
    for (const check of checks) {
      if (check.size <= check.limit) continue;
      errors.push(
        new CompileError(
          `rule "${name}" compiles to ${check.what} of ${kB(check.size)} (${check.file}); Auth0 allows ${kB(check.limit)}. ` +
            `Biggest parts: ${contributors(sized, check.adapter)}`,
          metaNameLocation(root, sized.rule),
          "move large data out of the rule (fetch it at runtime, or keep it in the tenant's configuration), or split the helper so the rule inlines only what it uses.",
        ),
      );
    }
  }
  return errors;
}
