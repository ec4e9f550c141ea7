import type { ModuleDependency } from "../core/manifest";
import { EXACT_VERSION, type RuleDependencies } from "../sources/packages";

/**
 * Packages an Action requires in place of the one the rule imports. `request` was deprecated in 2020 and has open
 * advisories; `@cypress/request` is its maintained fork with the same API (options, call forms, callback), so the
 * Action keeps the request module's full semantics without shipping a deprecated package or an emulation of ours.
 * The replacement's version is the one pinned in package.json (`devDependencies`: rules never import it directly).
 */
export const ACTION_REPLACEMENTS: Readonly<Record<string, string>> = Object.freeze({ request: "@cypress/request" });

export type ActionDependencyResult = { ok: true; dependency: ModuleDependency } | { ok: false; problem: string; fix: string };

/** The Action dependency for an npm package a rule requires at `version`. */
export function actionDependency(module: string, version: string, deps: RuleDependencies): ActionDependencyResult {
  const replacement = ACTION_REPLACEMENTS[module];
  if (replacement === undefined) return { ok: true, dependency: { name: module, version } };
  const pinned = deps.devVersions.get(replacement) ?? deps.versions.get(replacement);
  const install = `npm install --save-dev --save-exact ${replacement}@<version>`;
  const why = `the Action form requires ${replacement} (the maintained fork of ${module}) in place of ${module}`;
  if (pinned === undefined) return { ok: false, problem: `${why}, but package.json does not list it`, fix: `add it: ${install}.` };
  if (!EXACT_VERSION.test(pinned)) {
    return { ok: false, problem: `${why}, but package.json lists it with the range "${pinned}", not an exact version`, fix: `pin it: ${install}.` };
  }
  const installed = deps.installed(replacement);
  if (installed !== pinned) {
    return {
      ok: false,
      problem: `${why}; package.json pins ${replacement}@${pinned} but node_modules has ${installed ?? "no copy of it"}`,
      fix: "run `npm install` so node_modules matches package.json.",
    };
  }
  return { ok: true, dependency: { name: replacement, version: pinned } };
}
