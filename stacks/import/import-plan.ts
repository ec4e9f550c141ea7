/**
 * What `npm run import -- <env>` will do, computed from the tenant (read once) and the project, without writing
 * anything: the per-resource handlers' plans (rules, rule configuration keys, actions and bindings), the text of
 * every file to write, and the facts the report needs. run-import.ts writes the files, all or nothing.
 */
import * as fs from "fs";
import * as path from "path";
import type { TenantState } from "../tenant/tenant-state";
import { importFilePath, readImportFile, type ImportEntry, type ImportFile, type RenamedRule } from "../targets/import-blocks";
import { planActions, type ActionPlan } from "./action-handler";
import { planNativeActions, projectNativeActions, type NativeActionPlan } from "./native-action-handler";
import { actionSourceText } from "./action-source";
import { editEnvironmentFile, ENVIRONMENTS_FILE, isEmptyEdit, readEnvironmentEntry, type EnvironmentEdit, type EnvironmentEntry } from "./environment-file";
import { readProjectRules, type ProjectRule } from "./project-rules";
import { planRuleConfigs, type ConfigKeyRead, type ConfigPlan } from "./rule-config-handler";
import { planRules, type RulePlan } from "./rule-handler";
import { ruleSourceText } from "./rule-source";
import { secretKeyVerdict } from "../../codegen/checks/secret-key-names";
import { isBuiltinModule, packageJsonWithDependencies, planDependencies, type DependencyAddition } from "./rule-dependencies";
import { typeErrorsOf, type SourceTypeErrors } from "./type-errors";
import { ImportError } from "./errors";
import { identifierCollisions } from "../core/terraform-names";

export interface FileWrite {
  /** Relative to the root. */
  file: string;
  /** New content; null deletes the file. */
  content: string | null;
}

export interface ImportPlan {
  environment: string;
  tenant: string;
  target: EnvironmentEntry["target"];
  rules: RulePlan;
  configs: ConfigPlan | undefined;
  actions: ActionPlan | undefined;
  /** Hand-made tenant Actions adopted as native Action sources (undefined with --keep-external). */
  nativeActions: NativeActionPlan | undefined;
  /** Type errors of the new sources (written with // @ts-nocheck), per file. */
  typeErrors: SourceTypeErrors[];
  /** What the user must do about the npm modules the new sources require (a version clash, port by hand). */
  moduleProblems: string[];
  /** Packages the new sources require, added to package.json dependencies (installed by run-import.ts). */
  dependencies: DependencyAddition[];
  /** What became of the install: set by run-import.ts after the files are written. */
  install?: { state: "done" } | { state: "skipped" } | { state: "failed"; message: string };
  /** Post-login bindings in the tenant (for the report of a rules environment, which leaves them alone). */
  postLoginBindings: TenantState["bindings"][string];
  imports: ImportEntry[];
  importFile: string;
  /** Only the files whose content changes. */
  writes: FileWrite[];
}

export interface PlanInput {
  root: string;
  environment: string;
  tenant: TenantState;
  overwrite: boolean;
  /** The registry's current version of each bare module to add (looked up by run-import.ts; undefined: unknown). */
  currentVersions?: ReadonlyMap<string, string | undefined>;
  /** The pinned `name@version`s the npm registry does not serve (looked up by run-import.ts): never added. */
  unpublished?: ReadonlySet<string>;
  /** `--keep-external`: hand-made Actions stay outside the code (post-login ones as external bindings). */
  keepExternal?: boolean;
}

function readText(root: string, file: string): string | undefined {
  const full = path.join(root, file);
  return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : undefined;
}

function configReads(rules: RulePlan, project: Map<string, ProjectRule>): ConfigKeyRead[] {
  const reads = new Map<string, ConfigKeyRead>();
  const add = (key: string, rule: string, secret: boolean | undefined) => {
    const entry = reads.get(key) ?? { key, readBy: [], secret: undefined };
    entry.readBy.push(rule);
    if (secret !== undefined) entry.secret = entry.secret === true || secret;
    reads.set(key, entry);
  };
  const fresh = new Map(rules.newSources.map((source) => [source.ruleName, source]));
  for (const name of rules.ruleNames) {
    const source = fresh.get(name);
    if (source) source.script.configurationKeys.forEach((key) => add(key, name, undefined));
    else project.get(name)?.configuration?.forEach((item) => add(item.key, name, item.secret));
  }
  return [...reads.values()];
}

function importFileText(existing: ImportFile | undefined, environment: string, tenant: string, imports: ImportEntry[], renamed: RenamedRule[]): string | null {
  const byAddress = new Map((existing?.imports ?? []).map((entry) => [entry.to, entry]));
  for (const entry of imports) byAddress.set(entry.to, entry);
  const byTenantName = new Map((existing?.renamed ?? []).map((entry) => [entry.tenantName, entry]));
  for (const entry of renamed) byTenantName.set(entry.tenantName, entry);
  if (byAddress.size === 0) return null;
  const document: ImportFile = {
    comment:
      `Written by \`npm run import -- ${environment}\`: Terraform import blocks for the resources this environment adopted ` +
      `from its tenant (ids are not secrets). After the first apply, remove them with \`npm run import -- ${environment} --done\`.`,
    environment,
    tenant,
    imports: [...byAddress.values()].sort((a, b) => a.to.localeCompare(b.to)),
    renamed: [...byTenantName.values()].sort((a, b) => a.tenantName.localeCompare(b.tenantName)),
  };
  return JSON.stringify(document, null, 2) + "\n";
}

export function planImport(input: PlanInput): ImportPlan {
  const { root, environment, tenant } = input;
  const environmentsText = readText(root, ENVIRONMENTS_FILE);
  if (environmentsText === undefined) throw new Error(`internal: ${ENVIRONMENTS_FILE} is missing under ${root}`);
  const entry = readEnvironmentEntry(environmentsText, environment);
  const project = readProjectRules(root);
  const deploysRules = entry.target === "rules";

  const rules = planRules({
    environment: entry,
    tenantRules: tenant.rules ?? [],
    project,
    fileExists: (file) => fs.existsSync(path.join(root, file)),
    overwrite: input.overwrite,
    deploysRules,
  });

  refuseRuleNameCollisions(rules, project);
  let configs: ConfigPlan | undefined;
  let actions: ActionPlan | undefined;
  if (deploysRules) {
    const reads = configReads(rules, project);
    refuseKeyCollisions(reads);
    configs = planRuleConfigs(reads, tenant.ruleConfigKeys ?? [], entry.settings);
  } else {
    actions = planActions({
      rules: entry.rules.map((rule) => ({ name: rule.name, enabled: rule.enabled !== false, code: compiledActionCode(root, rule.name) })),
      actions: tenant.actions ?? [],
      postLogin: tenant.bindings["post-login"] ?? [],
    });
  }

  const nativeActions = input.keepExternal
    ? undefined
    : planNativeActions({
        root,
        ruleNames: new Set(entry.rules.map((rule) => rule.name)),
        postLoginRules: new Map(deploysRules ? [] : entry.rules.map((rule) => [rule.name, rule.order ?? 0] as [string, number])),
        actions: tenant.actions ?? [],
        bindings: tenant.bindings,
      });
  if (actions) {
    // Adopted Actions, and native Actions the project has already, are bound by the stack as code, not kept external.
    const adoptedIds = new Set((nativeActions?.adopted ?? []).map((a) => a.id));
    const native = projectNativeActions(root);
    actions.externalBindings = actions.externalBindings.filter((b) => !adoptedIds.has(b.id) && !native.has(b.name));
  }
  const actionText = (a: NativeActionPlan["adopted"][number], noCheck: boolean) =>
    actionSourceText({ source: a.source, name: a.name, order: a.order, tenant: tenant.domain, actionId: a.id, environment, tenantSecrets: a.tenantSecrets, noCheck });

  const packageJsonText = readText(root, "package.json");
  const packageJson = packageJsonText ? (JSON.parse(packageJsonText) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }) : {};
  const listed = packageJson.dependencies ?? {};
  const dependencyPlan = planDependencies(
    rules.newSources.map((source) => ({ file: source.file, requires: source.script.requires })),
    listed,
    input.currentVersions ?? new Map(),
    packageJson.devDependencies ?? {},
    input.unpublished,
  );
  // A module whose tenant version is installed under an npm alias is imported by the alias (see rule-dependencies.ts).
  const aliasOf = (file: string, module: string) => dependencyPlan.aliases.find((entry) => entry.file === file && entry.module === module)?.alias;

  // The new sources: type-checked as they are; those with errors are written with // @ts-nocheck.
  const secretKeys = configs?.secretKeys ?? new Set<string>();
  const undecidedKeys = new Set((configs?.toDecide ?? []).map((entry) => entry.key));
  const sourceText = (source: RulePlan["newSources"][number], noCheck: boolean) =>
    ruleSourceText({
      script: source.script,
      ruleName: source.ruleName,
      functionName: source.functionName,
      order: source.metaOrder,
      enabled: source.tenant.enabled,
      secrets: [
        ...source.script.configurationKeys.filter((key) => secretKeys.has(key)),
        // The Management secrets an auth0.accessToken rule's Action needs: declared secret where the name says so.
        ...source.script.managementSecrets.filter((key) => !source.script.configurationKeys.includes(key) && secretKeyVerdict(key).kind === "secret"),
      ],
      undecided: source.script.configurationKeys.filter((key) => undecidedKeys.has(key)),
      tenant: tenant.domain,
      ruleId: source.tenant.id,
      environment,
      noCheck,
      importStyle: (module) => moduleImportStyle(root, aliasOf(source.file, module) ?? module),
      moduleSpecifier: (module) => aliasOf(source.file, module) ?? module,
    });
  const typeErrors = typeErrorsOf(root, [
    ...rules.newSources.map((source): [string, string] => [source.file, sourceText(source, false)]),
    ...(nativeActions?.adopted ?? []).map((a): [string, string] => [a.file, actionText(a, false)]),
  ]);
  const withErrors = new Set(typeErrors.filter((result) => result.errors.length > 0).map((result) => result.file));

  const candidates: FileWrite[] = [
    ...rules.newSources.map((source) => ({ file: source.file, content: sourceText(source, withErrors.has(source.file)) })),
    ...(nativeActions?.adopted ?? []).map((a) => ({ file: a.file, content: actionText(a, withErrors.has(a.file)) })),
  ];
  const edit: EnvironmentEdit = {
    addRules: rules.addRules,
    reorder: rules.reorder,
    placeholders: configs?.placeholders ?? [],
    externalBindings: actions && !sameBindings(actions.externalBindings, entry.externalBindings) ? actions.externalBindings : undefined,
    addActions: (nativeActions?.adopted ?? []).map((a) => ({ name: a.name, order: a.order, enabled: a.enabled })),
  };
  if (!isEmptyEdit(edit)) candidates.push({ file: ENVIRONMENTS_FILE, content: editEnvironmentFile(environmentsText, environment, edit) });

  const imports = [...new Map([...rules.imports, ...(configs?.imports ?? []), ...(actions?.imports ?? []), ...(nativeActions?.imports ?? [])].map((i) => [i.to, i])).values()];
  const importFile = path.relative(root, importFilePath(root, environment)).split(path.sep).join("/");
  candidates.push({ file: importFile, content: importFileText(readImportFile(root, environment), environment, tenant.domain, imports, rules.renamed) });

  // The adopted Actions' dependencies: pinned as the tenant pins them (an Action names exact versions).
  const actionDependencyProblems: string[] = [];
  for (const a of nativeActions?.adopted ?? []) {
    for (const dependency of a.dependencies) {
      const pinned = listed[dependency.name] ?? dependencyPlan.add.find((d) => d.module === dependency.name && d.alias === undefined)?.version;
      if (pinned === undefined) dependencyPlan.add.push({ module: dependency.name, version: dependency.version, reason: `the tenant's Action "${a.name}" pins it`, files: [a.file] });
      else if (pinned !== dependency.version) actionDependencyProblems.push(`${a.file}: the tenant's Action pins ${dependency.name}@${dependency.version}, package.json has ${pinned}: the Action will deploy with ${pinned}; test it, or pin another version`);
    }
  }
  if (dependencyPlan.add.length > 0 && packageJsonText !== undefined) {
    candidates.push({ file: "package.json", content: packageJsonWithDependencies(packageJsonText, dependencyPlan.add) });
  }
  const moduleProblems = [
    ...dependencyPlan.problems,
    ...actionDependencyProblems,
    ...(nativeActions?.adopted ?? []).flatMap((a) => a.source.problems.map((problem) => `${a.file}: ${problem}`)),
    ...(nativeActions?.skipped ?? []).map((s) => `the tenant's Action ${JSON.stringify(s.name)} was not adopted: ${s.reason}`),
    ...(nativeActions?.notes ?? []),
    ...rules.newSources.flatMap((source) =>
      source.script.otherRequires.map((call) => `${source.file} calls ${call}, whose module name is computed, relative or a subpath, so it cannot become an import: port it by hand (npm run generate names the line)`),
    ),
  ];
  const writes = candidates.filter((write) => (readText(root, write.file) ?? null) !== write.content);
  return {
    environment,
    tenant: tenant.domain,
    target: entry.target,
    rules,
    configs,
    actions,
    nativeActions,
    typeErrors: typeErrors.filter((result) => result.errors.length > 0),
    moduleProblems,
    dependencies: dependencyPlan.add,
    postLoginBindings: tenant.bindings["post-login"] ?? [],
    imports,
    importFile,
    writes,
  };
}

/**
 * Two rules whose names become one Terraform name (`Add Roles` and `add-roles` are both auth0_rule.add_roles) would
 * be one resource and one import block: refused, naming both, before anything is written.
 */
function refuseRuleNameCollisions(rules: RulePlan, project: Map<string, ProjectRule>): void {
  const fresh = new Map(rules.newSources.map((source) => [source.ruleName, source]));
  const label = (name: string) => {
    const source = fresh.get(name);
    if (!source) return `"${name}" (${project.get(name)?.file ?? "rules-src"})`;
    return source.tenant.name === name ? `tenant rule "${name}" (${source.tenant.id})` : `tenant rule "${source.tenant.name}" (${source.tenant.id}, named "${name}")`;
  };
  const collisions = identifierCollisions([...project.keys(), ...fresh.keys()]).filter((collision) => collision.names.some((name) => fresh.has(name)));
  if (collisions.length === 0) return;
  throw new ImportError(
    "input",
    collisions
      .map((collision) => `rules ${collision.names.map(label).join(" and ")} all become the Terraform name auth0_rule.${collision.identifier}`)
      .join("; ") +
      ". One would silently not be imported. Rename one of them in the tenant (Dashboard > Auth Pipeline > Rules) or in rules-src, then run the import again.",
  );
}

/** Two configuration keys read by the rules that become one Terraform name (`A-B`, `A_B`): refused, naming both. */
function refuseKeyCollisions(reads: ConfigKeyRead[]): void {
  const readBy = new Map(reads.map((read) => [read.key, read.readBy]));
  const collisions = identifierCollisions(reads.map((read) => read.key));
  if (collisions.length === 0) return;
  throw new ImportError(
    "input",
    collisions
      .map(
        (collision) =>
          `configuration keys ${collision.names.map((key) => `${key} (read by ${readBy.get(key)!.join(", ")})`).join(" and ")} ` +
          `both become the Terraform name auth0_rule_config.${collision.identifier}`,
      )
      .join("; ") +
      ". One would be imported as the other. Rename one key in the tenant (Dashboard > Auth Pipeline > Rules > Settings) and in the rules that read it, then run the import again.",
  );
}

/**
 * How an imported module is imported (rule-source.ts importStyle): a default import where its typings declare
 * `export =` (the compiler then reads it as module.exports, typed), else a namespace import (module.exports as it is).
 */
function moduleImportStyle(root: string, module: string): "default" | "namespace" {
  if (isBuiltinModule(module)) return "namespace";
  const candidates = [path.join(root, "node_modules", "@types", module.replace(/^@([^/]+)\//, "$1__"), "index.d.ts"), path.join(root, "node_modules", module, "index.d.ts")];
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "node_modules", module, "package.json"), "utf8")) as { types?: unknown; typings?: unknown };
    const declared = typeof pkg.types === "string" ? pkg.types : typeof pkg.typings === "string" ? pkg.typings : undefined;
    if (declared) candidates.unshift(path.join(root, "node_modules", module, declared));
  } catch {
    // not installed: no typings to go by
  }
  const typings = candidates.find((file) => fs.existsSync(file));
  return typings && /^\s*export\s*=/m.test(fs.readFileSync(typings, "utf8")) ? "default" : "namespace";
}

function sameBindings(a: { name: string; id: string; position: number; displayName?: string }[], b: typeof a): boolean {
  const key = (list: typeof a) => JSON.stringify(list.map((x) => [x.name, x.id, x.position, x.displayName ?? null]));
  return key(a) === key(b);
}

/** Our Action code for a rule, from generated/ (undefined when not generated yet). */
function compiledActionCode(root: string, ruleName: string): string | undefined {
  const file = path.join(root, "generated", "manifest.json");
  if (!fs.existsSync(file)) return undefined;
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { rules?: { name: string; action?: { script: string } }[] };
  const script = manifest.rules?.find((rule) => rule.name === ruleName)?.action?.script;
  const code = script && path.join(root, "generated", script);
  return code && fs.existsSync(code) ? fs.readFileSync(code, "utf8") : undefined;
}
