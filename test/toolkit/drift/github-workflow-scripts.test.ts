/**
 * The helper scripts the GitHub workflows run (.github/scripts), the workflow settings exit codes depend on, and
 * what the workflows give pull-request code (issue 21: no secret in a step that runs it before an approval, no write
 * token where it runs, no lifecycle scripts, a plan comment found by the bot's identity, plan text that cannot leave
 * its code block). Workflows are read with js-yaml, comments are parsed with commonmark (the reference parser).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const yaml = require("js-yaml") as { load(text: string): any };
const commonmark = require("commonmark") as { Parser: new () => { parse(text: string): any } };

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

  const bot = { login: "github-actions[bot]", type: "Bot" };

  it("creates one comment per environment, then updates it on the next push", async () => {
    const planFile = path.join(dir, "plan.txt");
    fs.writeFileSync(planFile, '  ~ resource "auth0_rule" "keen_signup" {\n      ~ enabled = true -> false\n    }\n');
    const first = fakeGithub([{ id: 1, body: "<!-- auth0-rules-as-code plan: prod -->\n", user: bot } as never]);

    await commentPlan({ github: first.github, context, environment: "staging", planFile, exitCode: 2 });

    expect(first.calls.map((call) => call.method)).toEqual(["createComment"]);
    const body = first.calls[0].args.body as string;
    expect(body).toContain("<!-- auth0-rules-as-code plan: staging -->");
    expect(body).toContain("### Terraform plan for `staging`: changes to apply");
    expect(body).toContain('~ resource "auth0_rule" "keen_signup" {');
    expect(first.calls[0].args.issue_number).toBe(7);

    const second = fakeGithub([{ id: 42, body, user: bot } as never]);
    await commentPlan({ github: second.github, context, environment: "staging", planFile, exitCode: 1 });
    expect(second.calls.map((call) => [call.method, call.args.comment_id])).toEqual([["updateComment", 42]]);
    expect(second.calls[0].args.body as string).toContain("FAILED (exit 1)");
  });

  it("never takes a comment written by someone else for its own, even with its marker", async () => {
    const planFile = path.join(dir, "plan.txt");
    fs.writeFileSync(planFile, "No changes.\n");
    const marker = "<!-- auth0-rules-as-code plan: prod -->";
    const forged = [
      { id: 5, body: `${marker}\nLooks good, approved plan: nothing to see`, user: { login: "mallory", type: "User" } },
      { id: 6, body: `${marker}\n(impersonating)`, user: { login: "github-actions", type: "User" } },
      { id: 7, body: `quoted: ${marker}\n`, user: bot },
    ];
    const { github, calls } = fakeGithub(forged as never);
    await commentPlan({ github, context, environment: "prod", planFile, exitCode: 0 });
    expect(calls.map((call) => call.method)).toEqual(["createComment"]);
    const ours = fakeGithub([...forged, { id: 8, body: calls[0].args.body as string, user: bot }] as never);
    await commentPlan({ github: ours.github, context, environment: "prod", planFile, exitCode: 0 });
    expect(ours.calls.map((call) => [call.method, call.args.comment_id])).toEqual([["updateComment", 8]]);
  });

  it("keeps plan text in its code block whatever backticks, headings or HTML it holds", async () => {
    const hostile = "````\n</details>\n\n## Approved by security\n<!-- auth0-rules-as-code plan: prod -->\n``````` x\n@org/admins please merge";
    const planFile = path.join(dir, "plan.txt");
    fs.writeFileSync(planFile, `  + display_name = "${hostile}"\n`);
    const { github, calls } = fakeGithub([]);
    await commentPlan({ github, context, environment: "prod", planFile, exitCode: 2 });
    const document = new commonmark.Parser().parse(calls[0].args.body as string);
    const headings: string[] = [];
    const codeBlocks: string[] = [];
    const walker = document.walker();
    for (let event = walker.next(); event; event = walker.next()) {
      if (!event.entering) continue;
      if (event.node.type === "heading") headings.push(event.node.firstChild?.literal ?? "");
      if (event.node.type === "code_block") codeBlocks.push(event.node.literal);
    }
    expect(headings).toEqual(["Terraform plan for "]);
    expect(codeBlocks).toEqual([`  + display_name = "${hostile}"\n`]);
  });

  it("shows control and bidi characters of the plan (terraform prints tenant text as it is) as \\uXXXX", async () => {
    const planFile = path.join(dir, "plan.txt");
    fs.writeFileSync(planFile, '  + display_name = "a\u001b[2Jb\u202ec"\n');
    const { github, calls } = fakeGithub([]);
    await commentPlan({ github, context, environment: "prod", planFile, exitCode: 2 });
    const body = calls[0].args.body as string;
    expect(body).not.toMatch(/[\u001b\u202e]/);
    expect(body).toContain('+ display_name = "a\\u001b[2Jb\\u202ec"');
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

it("placeholder-tf-vars gives every secret variable of the stack a placeholder, never a value", () => {
  const githubEnv = path.join(dir, "github-env");
  fs.writeFileSync(githubEnv, "");
  const stackDir = path.join(dir, "cdktf.out", "stacks", "staging");
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify({ variable: { segment_write_key: { sensitive: true }, splunk_hec_token: { sensitive: true } } }));
  const result = node("placeholder-tf-vars.mjs", ["staging"], { GITHUB_ENV: githubEnv, TF_VAR_segment_write_key: "the-real-secret" });
  expect(result.status).toBe(0);
  expect(fs.readFileSync(githubEnv, "utf8")).toBe(
    "TF_VAR_segment_write_key=placeholder-not-a-secret-segment_write_key\nTF_VAR_splunk_hec_token=placeholder-not-a-secret-splunk_hec_token\n",
  );
});

describe("what the workflows give pull-request code", () => {
  type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> };
  type Job = { environment?: string; env?: Record<string, string>; permissions?: Record<string, string>; steps: Step[] };
  const workflow = (file: string) => yaml.load(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as { jobs: Record<string, Job> };
  const usesSecrets = (value: unknown) => JSON.stringify(value ?? {}).includes("secrets.");
  const pr = workflow("pull-request.yml");

  it("no job puts a secret in its job-level environment (every step, npm ci included, would see it)", () => {
    for (const file of fs.readdirSync(WORKFLOWS).filter((name) => name.endsWith(".yml"))) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) expect(`${file} ${name}: ${usesSecrets(job.env)}`).toBe(`${file} ${name}: false`);
    }
  });

  it("every job that holds a secret installs without lifecycle scripts", () => {
    for (const file of fs.readdirSync(WORKFLOWS).filter((name) => name.endsWith(".yml"))) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        if (!job.steps || !usesSecrets(job.steps)) continue;
        for (const step of job.steps.filter((candidate) => /\bnpm ci\b/.test(candidate.run ?? ""))) expect(`${file} ${name}: ${step.run}`).toContain("--ignore-scripts");
      }
    }
  });

  it("the pull-request plan waits for an approval, holds the read credential in one step only, and no TF_VAR secret or write token", () => {
    const plan = pr.jobs.plan;
    expect(plan.environment).toBe("${{ matrix.environment }}-pr-plan");
    expect(plan.permissions).toEqual({ contents: "read" });
    const withSecrets = plan.steps.filter(usesSecrets);
    expect(withSecrets.map((step) => Object.keys(step.env ?? {}).sort())).toEqual([["AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"]]);
    expect(JSON.stringify(plan)).not.toContain("toJSON(secrets)");
    const order = plan.steps.map((step) => step.run ?? step.uses ?? "");
    expect(order.findIndex((run) => run.includes("placeholder-tf-vars.mjs"))).toBeLessThan(order.findIndex((run) => run.includes("npm run --silent plan")));
  });

  it("the job with the write token runs no pull-request code: the base branch's scripts, the plan as data", () => {
    const writers = Object.entries(pr.jobs).filter(([, job]) => job.permissions?.["pull-requests"] === "write");
    expect(writers.map(([name]) => name)).toEqual(["comment"]);
    const [, comment] = writers[0];
    expect(comment.steps.find((step) => step.uses?.startsWith("actions/checkout@"))?.with?.ref).toBe("${{ github.event.pull_request.base.sha }}");
    expect(comment.steps.filter((step) => step.run !== undefined)).toEqual([]);
    expect(usesSecrets(comment)).toBe(false);
  });
});

it("markdown-fence prints a file fenced beyond its longest backtick run (the drift and apply job summaries)", () => {
  const file = path.join(dir, "report.txt");
  fs.writeFileSync(file, "a ``` b\n`````\n");
  const result = node("markdown-fence.js", [file], {});
  expect(result.stdout).toBe("``````\na ``` b\n`````\n``````\n");
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
