/**
 * One `npm run convert`: for each rule, convert (convert-rule.ts), prove the Action equivalent (equivalence.ts), and
 * write `<name>.action.ts` next to the rule only when the conversion has no blocker (or `partial`) and no login
 * differs (or `force`). Nothing is written for a rule that fails, and `dryRun` writes nothing at all.
 */
import * as fs from "fs";
import * as path from "path";
import { convertRule, formatBlocker, type Blocker } from "./convert-rule";
import { proveEquivalence, type CaseResult } from "./equivalence";
import { convertLibrary, type LibraryConversion } from "./convert-library";

export interface ConvertCommandOptions {
  root: string;
  /** The folder of the rules (default rules-src); lib/ beside them goes into the proof. */
  rulesDir?: string;
  /** Rule names (file `<name>.rule.ts`), or every rule with `all`. */
  names: string[];
  all?: boolean;
  dryRun?: boolean;
  partial?: boolean;
  force?: boolean;
}

export type RuleOutcome = "converted" | "refused" | "different" | "not-compiled" | "exists";

export interface RuleReport {
  rule: string;
  file: string;
  actionFile: string;
  outcome: RuleOutcome;
  written: boolean;
  blockers: Blocker[];
  cases: CaseResult[];
  compileErrors?: string;
  /** Bytes of the rule-born Action and of the converted native Action, as compiled. */
  ruleBornBytes?: number;
  nativeBytes?: number;
  ruleBornScript?: string;
  nativeScript?: string;
  action?: string;
  /** The converted helper modules the Action imports (lib/converted/*.ts). */
  libraryFiles?: Record<string, string>;
}

export class ConvertUsageError extends Error {}

export async function runConvert(options: ConvertCommandOptions): Promise<RuleReport[]> {
  const rulesDir = options.rulesDir ?? path.join(options.root, "rules-src");
  const available = fs
    .readdirSync(rulesDir)
    .filter((f) => f.endsWith(".rule.ts"))
    .map((f) => f.slice(0, -".rule.ts".length))
    .sort();
  const names = options.all ? available : options.names;
  if (names.length === 0) throw new ConvertUsageError("name a rule (npm run convert -- <rule>) or pass --all");
  for (const name of names) {
    if (!available.includes(name)) throw new ConvertUsageError(`${path.relative(options.root, rulesDir) || "."}/${name}.rule.ts does not exist (rules: ${available.join(", ") || "none"})`);
  }
  const display = path.relative(options.root, path.join(rulesDir, "lib")).split(path.sep).join("/");
  const library = await convertLibrary(path.join(rulesDir, "lib"), display);
  const reports: RuleReport[] = [];
  for (const name of names) reports.push(await convertOne(options, rulesDir, name, library));
  return reports;
}

async function convertOne(options: ConvertCommandOptions, rulesDir: string, name: string, library: LibraryConversion): Promise<RuleReport> {
  const ruleFile = path.join(rulesDir, `${name}.rule.ts`);
  const actionPath = path.join(rulesDir, `${name}.action.ts`);
  const display = (p: string) => path.relative(options.root, p).split(path.sep).join("/");
  const text = fs.readFileSync(ruleFile, "utf8");
  const conversion = await convertRule(display(ruleFile), text, { partial: options.partial, library });
  const report: RuleReport = { rule: name, file: display(ruleFile), actionFile: display(actionPath), outcome: "converted", written: false, blockers: conversion.blockers, cases: [] };
  if (conversion.action === undefined) return { ...report, outcome: "refused" };
  report.action = conversion.action;
  report.libraryFiles = conversion.libraryFiles;
  if (conversion.blockers.length > 0) {
    // --partial: the Action is written with its TODO(convert) notes; it cannot compile-run until they are resolved.
    report.outcome = "refused";
  } else {
    const proof = await proveEquivalence({
      rulesDir,
      typesDir: path.join(options.root, "rules-src"),
      packageJson: path.join(options.root, "package.json"),
      nodeModules: path.join(options.root, "node_modules"),
      ruleFileName: `${name}.rule.ts`,
      ruleText: text,
      ruleName: conversion.ruleName,
      actionName: conversion.actionName,
      actionText: conversion.action,
      configurationKeys: conversion.secrets,
      managementSecrets: conversion.managementSecrets,
      extraFiles: conversion.libraryFiles,
    });
    if (!proof.compiled) return { ...report, outcome: "not-compiled", compileErrors: proof.errors };
    report.cases = proof.cases;
    report.ruleBornBytes = proof.ruleBytes;
    report.nativeBytes = proof.actionBytes;
    report.ruleBornScript = proof.ruleBornActionScript;
    report.nativeScript = proof.actionScript;
    if (proof.cases.some((c) => c.differences.length > 0)) report.outcome = "different";
  }
  const writable = report.outcome === "converted" || (report.outcome === "refused" && options.partial) || (report.outcome === "different" && options.force);
  if (writable && fs.existsSync(actionPath) && !options.force) return { ...report, outcome: report.outcome === "converted" ? "exists" : report.outcome };
  if (writable && !options.dryRun) {
    fs.writeFileSync(actionPath, conversion.action);
    // The converted helpers it imports (the same for every rule that uses them: written again, unchanged).
    for (const [file, helper] of Object.entries(conversion.libraryFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(rulesDir, file)), { recursive: true });
      fs.writeFileSync(path.join(rulesDir, file), helper);
    }
    report.written = true;
  }
  return report;
}

/** What the command prints for one rule. */
export function describe(report: RuleReport, options: { dryRun?: boolean } = {}): string {
  const lines: string[] = [];
  const same = report.cases.filter((c) => c.differences.length === 0).length;
  const verb = report.written ? "wrote" : options.dryRun ? "would write" : "did not write";
  switch (report.outcome) {
    case "converted":
      lines.push(`${report.file}: converted; ${same}/${report.cases.length} logins behave the same on the Rule and the Action; ${verb} ${report.actionFile}`);
      break;
    case "exists":
      lines.push(`${report.file}: converted and equivalent (${same}/${report.cases.length} logins), but ${report.actionFile} exists: not overwritten (pass --force to replace it)`);
      break;
    case "refused":
      lines.push(`${report.file}: ${report.blockers.length} construct(s) without a faithful Action counterpart${report.written ? `; wrote ${report.actionFile} with TODO(convert) notes (npm run generate fails until they are resolved)` : "; not converted"}`);
      for (const blocker of report.blockers) lines.push(indent(formatBlocker(blocker)));
      break;
    case "not-compiled":
      lines.push(`${report.file}: the converted Action does not compile; not written:`);
      lines.push(indent(report.compileErrors ?? ""));
      break;
    case "different": {
      const differing = report.cases.filter((c) => c.differences.length > 0);
      lines.push(`${report.file}: ${differing.length}/${report.cases.length} logins behave differently on the Rule and the Action; ${report.written ? `wrote ${report.actionFile} anyway (--force)` : "not written (--force writes it anyway)"}`);
      for (const c of differing.slice(0, 10)) {
        lines.push(`  - ${c.name}: ${c.differences.map((field) => `${field} (rule ${short(c.rule[field as keyof typeof c.rule])}, action ${short(c.action[field as keyof typeof c.action])})`).join("; ")}`);
      }
      if (differing.length > 10) lines.push(`  … and ${differing.length - 10} more`);
      break;
    }
  }
  return lines.join("\n");
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
