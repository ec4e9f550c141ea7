/**
 * The compiler's path for native Actions (`rules-src/<name>.action.ts`): the same analysis as rules (type-check,
 * helpers of rules-src/lib inlined, npm imports pinned, located errors), no adapter. Each Action becomes one module,
 * generated/actions/<name>.js, holding its requires, the helpers it uses and its own code at module level (as Auth0
 * runs it: once per container), then `exports.<handler> = <handler>`; its manifest entry lists the trigger and
 * version, the npm dependencies (exact versions checked against node_modules) and the `event.secrets` keys it reads.
 */
import { CompileError } from "../core/errors";
import type { BindingResolver } from "../analysis/bindings";
import { inlineModule, type InlinedModule, type ScanCache } from "../analysis/inliner";
import { locationOf } from "../core/location";
import type { ModuleDependency } from "../core/manifest";
import type { CompiledNativeAction } from "../output/output";
import type { Piece, PieceFormatter } from "../format/piece-formatter";
import { MAX_RULE_NAME_LENGTH, resourceKey } from "../analysis/rule-names";
import type { RuleModule } from "../analysis/rule-module";
import { MAX_ACTION_CODE_BYTES } from "../checks/size-limits";
import { validateActionModule } from "../emit/script-emitter";
import type { ActionModule } from "../analysis/action-module";
import { findSecretReads } from "../checks/secret-reads";
import { convertTodoErrors } from "../checks/convert-todos";
import { ACTION_RUNTIME, MAX_ACTION_DEPENDENCIES } from "../core/triggers";

/** Names an Action's own code and inlined helpers must leave to the CommonJS module Auth0 loads. */
const MODULE_NAMES = ["require", "module", "exports", "__filename", "__dirname"];

export interface ActionAnalysis {
  action: ActionModule;
  inlined: InlinedModule;
  secrets: string[];
  dependencies: ModuleDependency[];
}

/** Inlines each Action and checks its secrets and dependencies; every problem located. */
export function analyseActions(root: string, actions: readonly ActionModule[], resolver: BindingResolver): { analysed: ActionAnalysis[]; errors: CompileError[] } {
  const errors: CompileError[] = [];
  const analysed: ActionAnalysis[] = [];
  const scans: ScanCache = new WeakMap();
  for (const action of actions) {
    errors.push(...convertTodoErrors(root, action.sourceFile));
    const { result, errors: inlineErrors } = inlineModule(root, action.statements, resolver, scans, MODULE_NAMES);
    errors.push(...inlineErrors);
    if (!result) continue;
    const reads = findSecretReads(root, result.sourceNodes);
    errors.push(...reads.errors);
    const declared = new Set(action.meta.secrets);
    for (const [key, node] of reads.keys) {
      if (!declared.has(key)) {
        errors.push(
          new CompileError(
            `event.secrets.${key} is read but not declared in meta.secrets of "${action.meta.name}"`,
            locationOf(root, node),
            `add "${key}" to meta.secrets (its value then comes from a sensitive Terraform variable, written to the Action as a write-only secret).`,
          ),
        );
      }
    }
    for (const key of action.meta.secrets) {
      if (!reads.keys.has(key)) errors.push(new CompileError(`meta.secrets lists "${key}", which the Action never reads as event.secrets.${key}`, locationOf(root, action.metaStatement), "remove it from meta.secrets or fix the spelling."));
    }
    const dependencies = result.packages.filter((p) => p.version !== undefined).map((p) => ({ name: p.module, version: p.version! }));
    if (dependencies.length > MAX_ACTION_DEPENDENCIES) {
      const extra = result.packages.filter((p) => p.version !== undefined)[MAX_ACTION_DEPENDENCIES];
      errors.push(
        new CompileError(
          `the Action "${action.meta.name}" requires ${dependencies.length} npm packages; Auth0 allows ${MAX_ACTION_DEPENDENCIES} per Action`,
          locationOf(root, extra.declaration),
          "use fewer packages (Node's fetch and crypto need none), or split the Action.",
        ),
      );
    }
    analysed.push({ action, inlined: result, secrets: [...reads.keys.keys()].sort(), dependencies });
  }
  const unique = new Map(errors.map((e) => [e.format(), e]));
  return { analysed, errors: [...unique.values()] };
}

/** Names unique across rules and Actions (they share generated/actions/ and Terraform names); orders unique per trigger. */
export function actionNameProblems(root: string, actions: readonly ActionModule[], rules: readonly RuleModule[]): CompileError[] {
  const errors: CompileError[] = [];
  const byKey = new Map<string, { name: string; source: string }>();
  for (const rule of rules) byKey.set(resourceKey(rule.meta.name), { name: rule.meta.name, source: rule.source });
  const byOrder = new Map<string, ActionModule>();
  for (const action of [...actions].sort((a, b) => (a.source < b.source ? -1 : 1))) {
    const where = locationOf(root, action.metaStatement);
    const key = resourceKey(action.meta.name);
    const other = byKey.get(key);
    if (action.meta.name.length > MAX_RULE_NAME_LENGTH) {
      errors.push(new CompileError(`Action name is ${action.meta.name.length} characters long (at most ${MAX_RULE_NAME_LENGTH})`, where, "shorten meta.name."));
    } else if (other) {
      errors.push(
        new CompileError(
          `the Action name "${action.meta.name}" is taken by "${other.name}" (${other.source}): rules, rule-born Actions and native Actions share generated/actions/ and Terraform names`,
          where,
          "give the Action a name no rule or Action has (differing in a letter or digit, not only in case, spaces or hyphens).",
        ),
      );
    } else byKey.set(key, { name: action.meta.name, source: action.source });
    const orderKey = `${action.meta.trigger}\0${action.meta.order}`;
    const sameOrder = byOrder.get(orderKey);
    if (sameOrder) {
      errors.push(new CompileError(`Actions "${action.meta.name}" and "${sameOrder.meta.name}" of trigger ${action.meta.trigger} have the same default order ${action.meta.order}`, where, "give each Action of a trigger a unique meta.order."));
    } else byOrder.set(orderKey, action);
  }
  return errors;
}

function piecesOf(a: ActionAnalysis) {
  const requires = a.inlined.packages.map((p) => `const ${p.variable} = require(${JSON.stringify(p.module)});`).join("\n");
  return {
    requires: { kind: "top", source: requires } as Piece,
    units: a.inlined.units.map((source): Piece => ({ kind: "top", source })),
    statements: a.inlined.statements.map((source): Piece => ({ kind: "top", source })),
    exports: { kind: "top", source: a.action.handlers.map((h) => `exports.${h} = ${h};`).join("\n") } as Piece,
  };
}

/** Prints each Action module from formatted pieces; checks it parses and stays within Auth0's 100 kB. */
export async function emitActions(root: string, analysed: readonly ActionAnalysis[], formatter: PieceFormatter): Promise<{ compiled: CompiledNativeAction[]; errors: CompileError[] }> {
  const all = analysed.map(piecesOf);
  await formatter.formatAll(all.flatMap((p) => [p.requires, ...p.units, ...p.statements, p.exports]));
  const errors: CompileError[] = [];
  const compiled = analysed.map((a, i) => {
    const p = all[i];
    const { meta, trigger, source } = a.action;
    const requires = formatter.get(p.requires);
    const header =
      `// Generated by \`npm run generate\` from ${source}. Do not edit: change the source and regenerate.\n` +
      `// Auth0 Action "${meta.name}" for the ${trigger.id} trigger (${trigger.version}), runtime ${ACTION_RUNTIME}: native, no adapter.`;
    const code = [
      header,
      ...(requires ? [requires] : []),
      ...[...p.units, ...p.statements].map((x) => formatter.get(x)).filter((t) => t !== ""),
      formatter.get(p.exports),
    ].join("\n\n") + "\n";
    validateActionModule(code, source);
    const size = Buffer.byteLength(code, "utf8");
    if (size > MAX_ACTION_CODE_BYTES) {
      errors.push(
        new CompileError(
          `Action "${meta.name}" compiles to ${(size / 1000).toFixed(1)} kB (generated/actions/${meta.name}.js); Auth0 allows ${(MAX_ACTION_CODE_BYTES / 1000).toFixed(1)} kB`,
          locationOf(root, a.action.metaStatement),
          "move large data out of the Action (fetch it at runtime), or split helpers so it inlines only what it uses.",
        ),
      );
    }
    return {
      kind: "native" as const,
      meta,
      source,
      trigger: { id: trigger.id, version: trigger.version },
      handlers: a.action.handlers,
      actionScript: code,
      secrets: a.secrets,
      actionDependencies: a.dependencies,
    };
  });
  return { compiled, errors };
}
