/**
 * Auth0 Rules reached end of life on 2026-11-18 (Auth0's docs banner; /docs/stacks.md, "Migrating an environment
 * from Rules to Actions"). Nothing official says what a tenant's Rules do after that date, so every command that
 * synthesizes a `target: "rules"` environment warns, naming the environment, the date and the way out.
 */
import type { ResolvedEnvironment } from "../config/resolve-environments";

export const RULES_END_OF_LIFE = "2026-11-18";
export const MIGRATION_SECTION = 'docs/stacks.md, "Migrating an environment from Rules to Actions"';

/** One warning per environment that targets Rules (none when every environment targets Actions). */
export function rulesEndOfLifeWarnings(environments: readonly Pick<ResolvedEnvironment, "name" | "target">[]): string[] {
  return environments
    .filter((env) => env.target === "rules")
    .map(
      (env) =>
        `warning: environment "${env.name}" targets Auth0 Rules, which reached end of life on ${RULES_END_OF_LIFE}: Auth0 ` +
        "may stop running or accepting them at any time. Migrate it to Actions: `npm run migrate -- " +
        `${env.name}\` prints the steps (${MIGRATION_SECTION}).`,
    );
}
