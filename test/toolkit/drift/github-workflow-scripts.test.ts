/**
 * The helper scripts the GitHub workflows run (.github/scripts), and the workflow settings exit codes depend on.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const SCRIPTS = path.join(REPO_ROOT, ".github", "scripts");
const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-scripts-"));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function node(script: string, args: string[], env: Record<string, string>, cwd = dir) {
  return spawnSync(process.execPath, [path.join(SCRIPTS, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
}

it("export-tf-vars passes on TF_VAR_* secrets only, multi-line values intact", () => {
  const githubEnv = path.join(dir, "github-env");
  fs.writeFileSync(githubEnv, "");
  const secrets = {
    TF_VAR_segment_write_key: "line1\nline2",
    AUTH0_CLIENT_SECRET: "not-a-tf-var",
    github_token: "ghs_x",
  };

  const result = node("export-tf-vars.mjs", [], { SECRETS_JSON: JSON.stringify(secrets), GITHUB_ENV: githubEnv });

  expect(result.status).toBe(0);
  expect(result.stdout).toBe("exported 1 TF_VAR_* secret(s): TF_VAR_segment_write_key\n");
  const written = fs.readFileSync(githubEnv, "utf8");
  expect(written).toMatch(/^TF_VAR_segment_write_key<<(EOF_[0-9a-f-]+)\nline1\nline2\n\1\n$/);
  expect(written).not.toContain("not-a-tf-var");
});

it("check-state-backend refuses local state for apply and warns for plan", () => {
  const stackDir = path.join(dir, "cdktf.out", "stacks", "prod");
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(
    path.join(stackDir, "cdk.tf.json"),
    JSON.stringify({ terraform: { backend: { local: { path: "x" } } } }),
  );

  const apply = node("check-state-backend.mjs", ["prod", "--require-remote"], {});
  const plan = node("check-state-backend.mjs", ["prod"], {});

  expect(apply.status).toBe(1);
  expect(apply.stdout).toContain("::error title=Local state in CI (prod)::");
  expect(plan.status).toBe(0);
  expect(plan.stdout).toContain("::warning title=Local state in CI (prod)::");

  fs.writeFileSync(
    path.join(stackDir, "cdk.tf.json"),
    JSON.stringify({ terraform: { backend: { s3: { bucket: "b" } } } }),
  );
  const remote = node("check-state-backend.mjs", ["prod", "--require-remote"], {});
  expect(remote.status).toBe(0);
  expect(remote.stdout).toBe('prod: state backend "s3"\n');
});

describe("comment-plan", () => {
  const commentPlan = require(path.join(SCRIPTS, "comment-plan.js")) as (
    args: Record<string, unknown>,
  ) => Promise<void>;

  function fakeGithub(existing: { id: number; body: string }[]) {
    const calls: { method: string; args: Record<string, unknown> }[] = [];
    const record = (method: string) => async (args: Record<string, unknown>) => {
      calls.push({ method, args });
      return { data: {} };
    };
    const listComments = record("listComments");
    return {
      calls,
      github: {
        paginate: async () => existing,
        rest: {
          issues: { listComments, createComment: record("createComment"), updateComment: record("updateComment") },
        },
      },
    };
  }

  const context = {
    repo: { owner: "o", repo: "r" },
    issue: { number: 7 },
    payload: { pull_request: { head: { sha: "abc123" } } },
  };

  it("creates one comment per environment, then updates it on the next push", async () => {
    const planFile = path.join(dir, "plan.txt");
    fs.writeFileSync(planFile, '  ~ resource "auth0_rule" "keen_signup" {\n      ~ enabled = true -> false\n    }\n');
    const first = fakeGithub([{ id: 1, body: "<!-- auth0-rules-as-code plan: prod -->" }]);

    await commentPlan({ github: first.github, context, environment: "staging", planFile, exitCode: 2 });

    expect(first.calls.map((call) => call.method)).toEqual(["createComment"]);
    const body = first.calls[0].args.body as string;
    expect(body).toContain("<!-- auth0-rules-as-code plan: staging -->");
    expect(body).toContain("### Terraform plan for `staging`: changes to apply");
    expect(body).toContain('~ resource "auth0_rule" "keen_signup" {');
    expect(first.calls[0].args.issue_number).toBe(7);

    const second = fakeGithub([{ id: 42, body }]);
    await commentPlan({ github: second.github, context, environment: "staging", planFile, exitCode: 1 });
    expect(second.calls.map((call) => [call.method, call.args.comment_id])).toEqual([["updateComment", 42]]);
    expect(second.calls[0].args.body as string).toContain("FAILED (exit 1)");
  });

  it("truncates a plan longer than a comment can hold", async () => {
    const planFile = path.join(dir, "plan.txt");
    fs.writeFileSync(planFile, "x".repeat(70_000));
    const { github, calls } = fakeGithub([]);
    await commentPlan({ github, context, environment: "dev", planFile, exitCode: 0 });
    const body = calls[0].args.body as string;
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("truncated: the full plan is in the job log.");
  });
});

it("every workflow that installs Terraform keeps its exit codes (terraform_wrapper: false)", () => {
  const files = fs.readdirSync(WORKFLOWS).filter((file) => file.endsWith(".yml"));
  let installs = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
    const blocks = text.split(/\n\s*- /).filter((block) => block.includes("hashicorp/setup-terraform@"));
    for (const block of blocks) {
      installs += 1;
      expect(`${file}: ${block}`).toMatch(/terraform_wrapper: false/);
    }
  }
  expect(installs).toBeGreaterThanOrEqual(3);
});
