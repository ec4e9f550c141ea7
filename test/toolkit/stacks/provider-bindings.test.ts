import * as fs from "fs";
import * as path from "path";
import { generateBindings } from "../../../stacks/provider/generate-bindings";
import { AUTH0_PROVIDER, AUTH0_SCHEMA_FILE } from "../../../stacks/provider/auth0-provider";
import { REPO_ROOT } from "../../../stacks/core/project-paths";
import { makeTempDir } from "./fixtures";

describe("provider bindings (npm run bindings)", () => {
  const temp = makeTempDir("stacks-bindings");
  afterAll(() => temp.cleanup());
  const outDir = path.join(temp.dir, ".gen");
  const schemaFile = path.join(temp.dir, "schema.json");

  it("generates typed classes for the provider and the five resources from the committed schema", async () => {
    fs.copyFileSync(AUTH0_SCHEMA_FILE, schemaFile);
    const result = await generateBindings({ schemaFile, outDir });
    expect(result).toEqual({ generated: true, providerDir: path.join(outDir, "providers", "auth0") });
    const read = (file: string) => fs.readFileSync(path.join(result.providerDir, file), "utf8");
    expect(read("provider/index.ts")).toContain("export class Auth0Provider extends cdktf.TerraformProvider");
    expect(read("rule/index.ts")).toContain("export class Rule extends cdktf.TerraformResource");
    expect(read("rule-config/index.ts")).toContain("export class RuleConfigA extends cdktf.TerraformResource");
    expect(read("action/index.ts")).toContain("export class Action extends cdktf.TerraformResource");
    expect(read("trigger-actions/index.ts")).toContain("export class TriggerActions extends cdktf.TerraformResource");
    expect(read("rule/index.ts")).toContain(`providerVersionConstraint: '${AUTH0_PROVIDER.versionConstraint}'`);
  });

  it("is a no-op while schema and constraint are unchanged, and regenerates when the schema changes", async () => {
    const marker = path.join(outDir, "providers", "auth0", "action", "index.ts");
    fs.appendFileSync(marker, "\n// untouched by a no-op run\n");
    expect((await generateBindings({ schemaFile, outDir })).generated).toBe(false);
    expect(fs.readFileSync(marker, "utf8")).toContain("untouched by a no-op run");

    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    schema.provider_schemas[AUTH0_PROVIDER.registryAddress].resource_schemas.auth0_rule.block.attributes.name.description = "Changed description.";
    fs.writeFileSync(schemaFile, JSON.stringify(schema));
    expect((await generateBindings({ schemaFile, outDir })).generated).toBe(true);
    expect(fs.readFileSync(marker, "utf8")).not.toContain("untouched by a no-op run");
    expect(fs.readFileSync(path.join(outDir, "providers", "auth0", "rule", "index.ts"), "utf8")).toContain("Changed description.");
  });

  it("names a missing or foreign schema file and how to get it", async () => {
    await expect(generateBindings({ schemaFile: path.join(temp.dir, "nope.json"), outDir })).rejects.toThrow(/nope\.json is missing.*terraform providers schema -json/s);
    const foreign = path.join(temp.dir, "foreign.json");
    fs.writeFileSync(foreign, JSON.stringify({ format_version: "1.0", provider_schemas: { "registry.terraform.io/hashicorp/aws": {} } }));
    await expect(generateBindings({ schemaFile: foreign, outDir })).rejects.toThrow(/has no entry for registry\.terraform\.io\/auth0\/auth0/);
  });

  it("cdktf.json asks `cdktf get` for the same provider and constraint, and runs stacks/main.ts", () => {
    const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "cdktf.json"), "utf8"));
    expect(config.terraformProviders).toEqual([`${AUTH0_PROVIDER.source}@${AUTH0_PROVIDER.versionConstraint}`]);
    expect(config.codeMakerOutput).toBe(".gen");
    expect(config.app).toContain("stacks/main.ts");
  });

  it("the committed schema describes the provider and the five resources the stacks use", () => {
    const schema = JSON.parse(fs.readFileSync(AUTH0_SCHEMA_FILE, "utf8"));
    const provider = schema.provider_schemas[AUTH0_PROVIDER.registryAddress];
    expect(Object.keys(provider.resource_schemas).sort()).toEqual(["auth0_action", "auth0_rule", "auth0_rule_config", "auth0_trigger_action", "auth0_trigger_actions"]);
  });
});
