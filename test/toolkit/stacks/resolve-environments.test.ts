import { EnvironmentConfig, FILL_IN } from "../../../stacks/environment-config";
import { EnvironmentConfigError } from "../../../stacks/core/errors";
import { readGeneratedManifest } from "../../../stacks/compiled/generated-manifest";
import { domainProblem, MAX_BOUND_ACTIONS, resolveEnvironments } from "../../../stacks/config/resolve-environments";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, FIXTURE_ENVIRONMENTS as sampleEnvironments } from "./fixtures";

const manifest = readGeneratedManifest(FIXTURE_GENERATED_DIR);

function problemsOf(configs: EnvironmentConfig[]): string[] {
  try {
    resolveEnvironments(configs, manifest);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    return [...(error as EnvironmentConfigError).problems];
  }
  throw new Error("expected the configuration to be rejected");
}

describe("resolveEnvironments: the sample configuration", () => {
  const resolved = resolveEnvironments(sampleEnvironments, manifest);

  it("has dev on rules with all five rules, staging and prod on actions with subsets", () => {
    expect(resolved.map((env) => [env.name, env.target])).toEqual([
      ["dev", "rules"],
      ["staging", "actions"],
      ["prod", "actions"],
    ]);
    expect(resolved[0].rules.map((rule) => rule.name).sort()).toEqual(manifest.rules.map((rule) => rule.name).sort());
    for (const env of resolved.slice(1)) {
      expect(env.rules.length).toBeGreaterThan(0);
      expect(env.rules.length).toBeLessThan(manifest.rules.length);
    }
  });

  it("reads SEGMENT_WRITE_KEY once in dev although two rules read it, from one sensitive variable", () => {
    const dev = resolved[0];
    const segment = dev.configuration.filter((item) => item.key === "SEGMENT_WRITE_KEY");
    expect(segment).toHaveLength(1);
    expect(segment[0].readBy).toEqual(["segment-track", "segment-analytics"]);
    expect(segment[0].source).toEqual({ kind: "variable", variable: "segment_write_key", envName: "TF_VAR_segment_write_key" });
    expect(dev.variables.map((v) => v.name)).toEqual([
      "keen_write_key",
      "segment_write_key",
      "splunk_hec_token",
      "splunk_password",
      "splunk_user",
    ]);
  });

  it("takes non-secret values from settings and leaves optional unset keys to the rule's default", () => {
    const staging = resolved[1];
    const byKey = Object.fromEntries(staging.configuration.map((item) => [item.key, item.source]));
    expect(byKey.SEGMENT_API_URL).toEqual({ kind: "setting", value: "https://api.segment.io" });
    expect(byKey.KEEN_API_URL).toEqual({ kind: "default" });
    expect(Object.keys(byKey)).not.toContain("SPLUNK_USER");
  });
});

describe("resolveEnvironments: ordering", () => {
  it("sorts rules by the configured order, not by the list order", () => {
    const [env] = resolveEnvironments(
      [
        allRulesEnvironment("rules", {
          rules: [{ name: "splunk-hec", order: 1 }, { name: "segment-track", order: 5 }, { name: "keen-signup", order: 3 }],
          settings: { SPLUNK_HEC_URL: "https://x.example", KEEN_PROJECT_ID: "p" },
        }),
      ],
      manifest,
    );
    expect(env.rules.map((rule) => [rule.name, rule.order])).toEqual([
      ["splunk-hec", 1],
      ["keen-signup", 3],
      ["segment-track", 5],
    ]);
  });

  it("defaults a rule's order to its order in the manifest", () => {
    const [env] = resolveEnvironments(
      [allRulesEnvironment("rules", { rules: [{ name: "splunk-hec" }, { name: "segment-track" }], settings: { SPLUNK_HEC_URL: "https://x.example" } })],
      manifest,
    );
    expect(env.rules.map((rule) => [rule.name, rule.order])).toEqual([
      ["segment-track", 10],
      ["splunk-hec", 50],
    ]);
  });
});

describe("resolveEnvironments: errors name the environment and the fix", () => {
  it("rejects an unknown rule name and lists the known ones", () => {
    const [problem] = problemsOf([allRulesEnvironment("rules", { name: "dev", rules: [{ name: "segment-trak", order: 1 }], settings: {} })]);
    expect(problem).toContain('environment "dev"');
    expect(problem).toContain('unknown rule "segment-trak"');
    expect(problem).toContain("segment-track, segment-analytics, keen-signup, splunk-rest, splunk-hec");
  });

  it("rejects two rules with one order", () => {
    const problems = problemsOf([
      allRulesEnvironment("rules", {
        name: "staging",
        rules: [{ name: "segment-track", order: 10 }, { name: "splunk-hec", order: 10 }],
        settings: { SPLUNK_HEC_URL: "https://x.example" },
      }),
    ]);
    expect(problems).toEqual([expect.stringMatching(/environment "staging": rules "segment-track" and "splunk-hec" both have order 10/)]);
  });

  it("rejects a default order that collides with an explicit one", () => {
    const problems = problemsOf([
      allRulesEnvironment("actions", { rules: [{ name: "segment-track" }, { name: "splunk-hec", order: 10 }], settings: { SPLUNK_HEC_URL: "https://x.example" } }),
    ]);
    expect(problems.join("\n")).toMatch(/both have order 10/);
  });

  it("rejects a required configuration key with no source", () => {
    const problems = problemsOf([allRulesEnvironment("rules", { name: "prod", settings: { KEEN_PROJECT_ID: "p", SPLUNK_URL: "https://s.example" } })]);
    expect(problems).toEqual([
      expect.stringMatching(/environment "prod": required configuration key SPLUNK_HEC_URL \(read by splunk-hec\) has no value.*settings: \{ SPLUNK_HEC_URL/),
    ]);
  });

  it.each([
    ["https://dev.eu.auth0.com", "URL scheme"],
    ["dev.eu.auth0.com/", "path"],
    ["dev.eu.auth0.com:443", "port"],
    ["Dev.EU.auth0.com", "uppercase"],
    ["localhost", "fully qualified"],
    ["-dev.eu.auth0.com", "label"],
    ["dev..auth0.com", "label"],
    ["dev_tenant.auth0.com", "label"],
    ["", "empty"],
    ["10.0.0.1", "IP address"],
  ])("rejects the invalid domain %j (%s)", (domain, reason) => {
    expect(domainProblem(domain)).toContain(reason);
    const [problem] = problemsOf([allRulesEnvironment("rules", { name: "dev", domain })]);
    expect(problem).toContain(`environment "dev": domain "${domain}" is invalid`);
    expect(problem).toContain("host name only");
  });

  it.each(["example-dev.eu.auth0.com", "acme.auth0.com", "login.example.co.uk"])("accepts the domain %j", (domain) => {
    expect(domainProblem(domain)).toBeUndefined();
  });

  it("rejects a secret key given a plain value and says how to supply it", () => {
    const problems = problemsOf([
      allRulesEnvironment("actions", { name: "prod", settings: { ...allRulesEnvironment("rules").settings, SEGMENT_WRITE_KEY: "sk_live_123" } }),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('environment "prod": SEGMENT_WRITE_KEY is a secret');
    expect(problems[0]).toContain("TF_VAR_segment_write_key");
    expect(problems[0]).not.toContain("sk_live_123");
  });

  it("rejects a setting that no enabled rule reads (a typo would otherwise be ignored)", () => {
    const problems = problemsOf([allRulesEnvironment("rules", { settings: { ...allRulesEnvironment("rules").settings, SPLUNK_HEC_ULR: "x" } })]);
    expect(problems).toEqual([expect.stringContaining("setting SPLUNK_HEC_ULR is not read by any enabled rule")]);
  });

  it("rejects a rule listed twice, an order that is not a positive integer, and an empty rule list", () => {
    const problems = problemsOf([
      allRulesEnvironment("rules", { name: "a", rules: [{ name: "splunk-hec", order: 1 }, { name: "splunk-hec", order: 2 }], settings: { SPLUNK_HEC_URL: "u" } }),
      allRulesEnvironment("rules", { name: "b", rules: [{ name: "splunk-hec", order: 1.5 }], settings: { SPLUNK_HEC_URL: "u" } }),
      allRulesEnvironment("rules", { name: "c", rules: [], settings: {} }),
    ]);
    expect(problems).toEqual([
      expect.stringContaining('environment "a": rule "splunk-hec" is listed twice'),
      expect.stringContaining('environment "b": rule "splunk-hec" has order 1.5; use a positive integer'),
      expect.stringContaining('environment "c": no rules are enabled'),
    ]);
  });

  it("rejects an invalid target, invalid or duplicate environment names, and incomplete backends", () => {
    const problems = problemsOf([
      allRulesEnvironment("rules", { name: "Prod" }),
      allRulesEnvironment("rules", { name: "qa", target: "hooks" as never }),
      allRulesEnvironment("rules", { name: "qa", backend: { type: "s3", bucket: "b", key: "", region: "eu-west-1" } }),
      allRulesEnvironment("rules", { name: "tfc", backend: { type: "cloud", organization: "acme", workspace: "" } }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('environment name "Prod" is invalid'),
        expect.stringContaining('environment "qa" is configured twice'),
        expect.stringContaining('environment "qa": target "hooks" is invalid; use "rules" or "actions"'),
        expect.stringContaining('environment "qa": backend "s3" needs "key"'),
        expect.stringContaining('environment "tfc": backend "cloud" needs "workspace"'),
      ]),
    );
  });

  it("rejects more actions than Auth0 binds to one flow", () => {
    const many = {
      dir: manifest.dir,
      rules: Array.from({ length: MAX_BOUND_ACTIONS + 1 }, (_, i) => ({ ...manifest.rules[4], name: `rule-${i + 1}`, order: i + 1 })),
    };
    const config = allRulesEnvironment("actions", { rules: many.rules.map((rule) => ({ name: rule.name })), settings: { SPLUNK_HEC_URL: "u" } });
    expect(() => resolveEnvironments([config], many)).toThrow(/21 actions on post-login; Auth0 binds at most 20/);
    expect(() => resolveEnvironments([{ ...config, target: "rules" }], many)).not.toThrow();
  });

  it("rejects target actions for a rule the compiler emitted no Action for", () => {
    const noAction = { dir: manifest.dir, rules: manifest.rules.map((rule) => (rule.name === "keen-signup" ? { ...rule, action: undefined } : rule)) };
    expect(() => resolveEnvironments([allRulesEnvironment("actions")], noAction)).toThrow(/rule "keen-signup" has no Action in generated\/manifest.json/);
    expect(() => resolveEnvironments([allRulesEnvironment("rules")], noAction)).not.toThrow();
  });

  it("provisions the Management secrets of auth0.accessToken (actionOnly keys) for the actions target only", () => {
    const management = [
      { key: "AUTH0_CLIENT_ID", required: true, secret: false, actionOnly: true as const },
      { key: "AUTH0_CLIENT_SECRET", required: true, secret: true, actionOnly: true as const },
      { key: "AUTH0_DOMAIN", required: true, secret: false, actionOnly: true as const },
    ];
    const withToken = { dir: manifest.dir, rules: manifest.rules.map((rule) => (rule.name === "keen-signup" ? { ...rule, configuration: [...rule.configuration, ...management] } : rule)) };
    const [onRules] = resolveEnvironments([allRulesEnvironment("rules")], withToken);
    expect(onRules.configuration.map((item) => item.key).filter((key) => key.startsWith("AUTH0_"))).toEqual([]);
    // The actions target needs their values: refused until given, naming them.
    expect(() => resolveEnvironments([allRulesEnvironment("actions")], withToken)).toThrow(/AUTH0_CLIENT_ID|AUTH0_DOMAIN/);
    const settings = { ...allRulesEnvironment("actions").settings, AUTH0_CLIENT_ID: "m2m-client", AUTH0_DOMAIN: "tenant.eu.auth0.com" };
    const [onActions] = resolveEnvironments([allRulesEnvironment("actions", { settings })], withToken);
    expect(onActions.configuration.filter((item) => item.key.startsWith("AUTH0_")).map((item) => [item.key, item.source.kind])).toEqual([
      ["AUTH0_CLIENT_ID", "setting"],
      ["AUTH0_CLIENT_SECRET", "variable"],
      ["AUTH0_DOMAIN", "setting"],
    ]);
  });

  it("never advises a plain setting for a key whose name looks like a secret but is not declared secret", () => {
    const withKey = (extra: { notSecret?: true }) => ({
      dir: manifest.dir,
      rules: manifest.rules.map((rule) =>
        rule.name === "keen-signup" ? { ...rule, configuration: [...rule.configuration, { key: "ZAPIER_TOKEN", required: true, secret: false, ...extra }] } : rule,
      ),
    });
    const problems = (settings: Record<string, string>) => {
      try {
        resolveEnvironments([allRulesEnvironment("rules", { settings: { ...allRulesEnvironment("rules").settings, ...settings } })], withKey({}));
      } catch (error) {
        return [...(error as EnvironmentConfigError).problems];
      }
      return [];
    };
    for (const found of [problems({}), problems({ ZAPIER_TOKEN: "plain-value-in-settings" })]) {
      expect(found).toHaveLength(1);
      expect(found[0]).toContain("ZAPIER_TOKEN (read by keen-signup) looks like a secret");
      expect(found[0]).toContain('Add "ZAPIER_TOKEN" to meta.secrets');
      expect(found[0]).toContain("do not put its value in settings");
      expect(found[0]).not.toContain("settings: {");
    }
    // A rule that says explicitly it is not a secret (meta.notSecrets) gets the ordinary advice.
    expect(() => resolveEnvironments([allRulesEnvironment("rules")], withKey({ notSecret: true }))).toThrow(/required configuration key ZAPIER_TOKEN .* settings: \{ ZAPIER_TOKEN/);
  });

  it("validates rotation counters: secret keys only, whole numbers", () => {
    const found = problemsOf([allRulesEnvironment("actions", { secretRotations: { SPLUNK_URL: 1, SEGMENT_WRITE_KEY: -1 } })]);
    expect(found.some((p) => p.includes("secretRotations has SPLUNK_URL, which is not a secret key"))).toBe(true);
    expect(found.some((p) => p.includes("secretRotations.SEGMENT_WRITE_KEY is -1"))).toBe(true);
  });

  it("reports every problem of every environment at once", () => {
    const problems = problemsOf([
      allRulesEnvironment("rules", { name: "dev", domain: "http://x" }),
      allRulesEnvironment("actions", { name: "prod", rules: [{ name: "nope" }] }),
    ]);
    expect(problems.some((p) => p.startsWith('environment "dev": domain'))).toBe(true);
    expect(problems.some((p) => p.startsWith('environment "prod": unknown rule "nope"'))).toBe(true);
  });
});

describe("resolveEnvironments: what npm run import writes", () => {
  it("refuses a setting that still holds the FILL_IN placeholder, naming the rules that read it", () => {
    const problems = problemsOf([allRulesEnvironment("rules", { name: "legacy", settings: { ...allRulesEnvironment("rules").settings, KEEN_PROJECT_ID: FILL_IN } })]);
    expect(problems).toEqual([expect.stringMatching(/environment "legacy": setting KEEN_PROJECT_ID \(read by keen-signup\) is still the placeholder npm run import wrote/)]);
  });

  it("carries a rule's enabled flag (default true)", () => {
    const [env] = resolveEnvironments([allRulesEnvironment("rules", { rules: [{ name: "segment-track", order: 1, enabled: false }, { name: "splunk-hec", order: 2 }], settings: { SPLUNK_HEC_URL: "https://x.example" } })], manifest);
    expect(env.rules.map((rule) => [rule.name, rule.enabled])).toEqual([["segment-track", false], ["splunk-hec", true]]);
  });

  it("sorts external bindings by position and rejects them on a rules target or with a clashing position", () => {
    const bindings = [{ name: "B", id: "act_b", position: 2 }, { name: "A", id: "act_a", position: 0 }];
    const [env] = resolveEnvironments([allRulesEnvironment("actions", { externalBindings: bindings })], manifest);
    expect(env.externalBindings.map((binding) => binding.name)).toEqual(["A", "B"]);
    expect(problemsOf([allRulesEnvironment("rules", { name: "r", externalBindings: bindings })])).toEqual([expect.stringContaining('externalBindings apply to target "actions" only')]);
    expect(problemsOf([allRulesEnvironment("actions", { name: "a", externalBindings: [...bindings, { name: "C", id: "act_c", position: 2 }] })])).toEqual([expect.stringContaining("two external bindings have position 2")]);
  });

  it("counts external bindings against Auth0's limit of bound actions", () => {
    const many = Array.from({ length: MAX_BOUND_ACTIONS - 4 }, (_, i) => ({ name: `hand-${i}`, id: `act_${i}`, position: i }));
    expect(problemsOf([allRulesEnvironment("actions", { externalBindings: many })])).toEqual([expect.stringContaining(`${MAX_BOUND_ACTIONS + 1} actions on post-login`)]);
  });
});
