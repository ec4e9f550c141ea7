/**
 * Rule code is confined (testing/confined-runner.ts): hand-edited generated rules that reach for the host — the
 * constructor escape to `process`, `process.env`, `process.binding`, `createRequire`, `child_process`, reading
 * files, ending the process — find an empty environment and are refused the rest, on both targets, through the
 * testing library (`bothTargets`) and through `npm run preview`, which reports the failures instead of
 * "same on both targets". A canary secret is set in the parent's environment and must never come out.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFINED_ENV_ALLOW_LIST, bothTargets, loadRule, runRule, buildContext, buildUser, type BothTargets } from "../../../testing";
import { writeGeneratedFixture } from "../../support/generated-fixture";
import { npmRunPreview, type CommandRun } from "../../support/run-command";

const CANARY = `canary-${process.pid}-${Date.now()}`;
const marker = path.join(os.tmpdir(), `confinement-marker-${process.pid}`);

/** The host's `process`, the way hostile code gets it: the constructor of a function it was handed. */
const HOST_PROCESS = 'handed.constructor.constructor("return process")()';

function hostile(name: string, body: string): { name: string; rule: string; action: string } {
  return {
    name,
    rule: `function ${name.replace(/-(.)/g, (_m, c: string) => c.toUpperCase())}(user, context, callback) {\n  var handed = callback;\n${body}\n  context.idToken.found = JSON.stringify(found);\n  callback(null, user, context);\n}`,
    action: `exports.onExecutePostLogin = async (event, api) => {\n  var handed = api.idToken.setCustomClaim;\n${body}\n  api.idToken.setCustomClaim("found", JSON.stringify(found));\n};\n`,
  };
}

const RULES = [
  // Reads what it can and reports it (catches its errors): the environment and the parent's environment file.
  hostile(
    "read-env",
    `  var found = {};
  var p = ${HOST_PROCESS};
  found.keys = Object.keys(p.env).sort();
  found.canary = p.env.H22_CANARY || null;
  try { found.environ = String(p.mainModule.require("fs").readFileSync("/proc/" + p.ppid + "/environ")); } catch (e) { found.environError = e.code || e.message; }`,
  ),
  hostile("spawn", `  var found = {};\n  var p = ${HOST_PROCESS};\n  p.mainModule.require("child_process").execFileSync("/bin/sh", ["-c", "echo pwned > ${marker}"]);`),
  hostile("binding", `  var found = {};\n  var p = ${HOST_PROCESS};\n  found.spawn = typeof p.binding("spawn_sync");`),
  hostile("create-require", `  var found = {};\n  var createRequire = require("module").createRequire;\n  createRequire("/")("child_process").execSync("echo pwned > ${marker}");`),
  hostile(
    "escaped-create-require",
    `  var found = {};\n  var p = ${HOST_PROCESS};\n  p.mainModule.require("module").createRequire(p.mainModule.filename)("child_process").execSync("echo pwned > ${marker}");`,
  ),
  hostile("exit", `  var found = {};\n  var p = ${HOST_PROCESS};\n  p.exit(0);`),
];

let generatedDir: string;
const opened: BothTargets[] = [];
beforeAll(() => {
  process.env.H22_CANARY = CANARY;
  generatedDir = writeGeneratedFixture(RULES);
});
afterAll(() => {
  for (const targets of opened) targets.dispose();
  delete process.env.H22_CANARY;
  fs.rmSync(generatedDir, { recursive: true, force: true });
  fs.rmSync(marker, { force: true });
});

function open(name: string): BothTargets {
  const targets = bothTargets(name, { generatedDir, timeoutMs: 5000 });
  opened.push(targets);
  return targets;
}

describe("bothTargets runs rule code in a confined process", () => {
  it("whose environment holds none of this process's variables, and which cannot read the parent's", async () => {
    const { rule, action } = await open("read-env").login();
    for (const result of [rule, action]) {
      expect(result.outcome).toBe("continued");
      const found = JSON.parse(String(result.idTokenClaims.found)) as { keys: string[]; canary: unknown; environ?: string; environError?: string };
      expect(found.canary).toBeNull();
      expect(found.keys.every((key) => CONFINED_ENV_ALLOW_LIST.includes(key))).toBe(true);
      expect(found.environ).toBeUndefined();
      expect(found.environError).toBe("ERR_ACCESS_DENIED");
      expect(JSON.stringify(result)).not.toContain(CANARY);
    }
  });

  it.each(["spawn", "binding", "escaped-create-require"])("%s: refused by Node's permission model; the login fails and says why", async (name) => {
    const { rule, action } = await open(name).login();
    for (const result of [rule, action]) {
      expect(result.outcome).toBe("failed");
      expect(result.reason).toMatch(/restricted|ERR_ACCESS_DENIED|process\.binding/i);
    }
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("create-require: the stand-ins give login code no `module` (nor fs, child_process, vm, worker_threads, …)", async () => {
    const { rule, action } = await open("create-require").login();
    for (const result of [rule, action]) {
      expect(result.outcome).toBe("failed");
      expect(result.reason).toMatch(/require\('module'\): Node's 'module' is not available to login code/);
    }
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("a rule that ends its process fails its login; the next login gets a new process", async () => {
    const targets = open("exit");
    const first = await targets.login();
    expect(first.rule).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/the confined process exited with code 0/) });
    const again = await open("read-env").login();
    expect(again.rule.outcome).toBe("continued");
  });
});

it("in this process too (confined: false), require() gives login code only the allow-listed built-ins", async () => {
  for (const name of ["child_process", "fs", "module", "vm", "worker_threads", "process", "node:child_process", "inspector", "v8"]) {
    const loaded = loadRule(`function probe(user, context, callback) { require(${JSON.stringify(name)}); callback(null, user, context); }`, { filename: "probe.js" });
    const run = await runRule(loaded, buildUser(), buildContext(), { timeoutMs: 2000 });
    expect({ name, outcome: run.outcome, message: (run.error as Error).message }).toMatchObject({ name, outcome: "threw", message: expect.stringContaining("is not available to login code") });
  }
  const allowed = loadRule(`function probe(user, context, callback) { require("crypto"); require("https"); require("url"); callback(null, user, context); }`);
  expect((await runRule(allowed, buildUser(), buildContext(), { timeoutMs: 2000 })).outcome).toBe("continued");
});

describe("npm run preview on the same rules", () => {
  let run: CommandRun;
  beforeAll(async () => {
    run = await npmRunPreview(["--generated", generatedDir], { H22_CANARY: CANARY });
  }, 120_000);

  it("reports every refused attempt as a failed login and exits 1, never 'agree'", () => {
    expect(run.code).toBe(1);
    for (const name of ["spawn", "binding", "create-require", "escaped-create-require", "exit"]) {
      const block = run.stdout.slice(run.stdout.indexOf(`rule ${name}\n`));
      expect(block.split("\nrule ")[0]).toMatch(/outcome +(Rule: +)?failed: /);
    }
    expect(run.stdout).not.toContain("Both targets agree");
    expect(run.stdout).toContain("The targets differ or a login failed");
  });

  it("never shows the canary secret, and nothing was spawned", () => {
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
