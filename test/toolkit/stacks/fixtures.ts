/** Shared by the stacks tests: the generated/ fixture, configurations built on it, and temp directories. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DeploymentTarget, EnvironmentConfig } from "../../../stacks/environment-config";
import { environments } from "../../fixtures/stacks/environments";

export const FIXTURE_GENERATED_DIR = path.resolve(__dirname, "..", "..", "fixtures", "generated-sample");

/**
 * The toolkit's own environments (dev on Rules, staging and prod on Actions, over the fixture's rules): the stacks
 * tests use these, never the team's stacks/environments.ts. Commands take the file with `--environments`.
 */
export const FIXTURE_ENVIRONMENTS_FILE = path.resolve(__dirname, "..", "..", "fixtures", "stacks", "environments.ts");
export const FIXTURE_ENVIRONMENTS: readonly EnvironmentConfig[] = environments;

export const FIXTURE_RULES = ["segment-track", "segment-analytics", "keen-signup", "splunk-rest", "splunk-hec"] as const;

/** Settings for every required non-secret key of the fixture's rules. */
export const FIXTURE_SETTINGS: Record<string, string> = {
  KEEN_PROJECT_ID: "test-project",
  SPLUNK_URL: "https://splunk.test.example:8089",
  SPLUNK_HEC_URL: "https://splunk.test.example:8088",
};

/** One environment enabling all five fixture rules on `target`, state in `stateDir` (when given). */
export function allRulesEnvironment(target: DeploymentTarget, overrides: Partial<EnvironmentConfig> = {}, stateDir?: string): EnvironmentConfig {
  const name = overrides.name ?? `all-${target}`;
  return {
    name,
    domain: `${name}.eu.auth0.com`,
    target,
    rules: FIXTURE_RULES.map((rule, i) => ({ name: rule, order: (i + 1) * 10 })),
    settings: { ...FIXTURE_SETTINGS },
    ...(stateDir ? { backend: { type: "local", path: path.join(stateDir, `${name}.tfstate`) } } : {}),
    ...overrides,
  };
}

/** A fresh temp directory, removed by the returned cleanup function. */
export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A writable copy of the fixture, to break on purpose. */
export function copyFixture(dir: string): string {
  const copy = path.join(dir, "generated-copy");
  fs.cpSync(FIXTURE_GENERATED_DIR, copy, { recursive: true });
  return copy;
}

export function readStackJson(outdir: string, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

/** A writable stream that collects what a CLI writes. */
export function textSink(): NodeJS.WritableStream & { text: () => string } {
  let text = "";
  const sink = {
    write(chunk: string | Uint8Array): boolean {
      text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    },
    text: () => text,
  };
  return sink as unknown as NodeJS.WritableStream & { text: () => string };
}
