/**
 * The tests run on the Node 22 LTS the project pins (Auth0 Actions run Node 22): npm installs it from the registry
 * (package.json's node-<platform>-<arch> optionalDependencies) as node_modules/.bin/node, and npm scripts and npx put
 * that folder first on PATH. jest's globalSetup stops a run started on another Node; this file checks that the test
 * workers and the processes tests start (by `node` on PATH, by a `#!/usr/bin/env node` tool, by process.execPath)
 * all run the pinned binary.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const { pinnedNodeVersion, assertPinnedNode, ROOT } = require("../../support/runtime/pinned-node") as {
  pinnedNodeVersion(): string;
  assertPinnedNode(what: string, version?: string, execPath?: string): void;
  ROOT: string;
};

const pinned = pinnedNodeVersion();
const childVersion = (file: string, args: string[]) => execFileSync(file, args, { cwd: ROOT, encoding: "utf8" }).trim();

describe("the pinned Node", () => {
  it("is a Node 22 LTS that package.json's engines accept and CDK Terrain's CLI runs on (>= 22.19)", () => {
    const [major, minor] = pinned.split(".").map(Number);
    expect(major).toBe(22);
    expect(minor).toBeGreaterThanOrEqual(19);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node).toBe("^22.12.0 || >=24.0.0");
  });

  it("is the one installed as node_modules/.bin/node", () => {
    expect(childVersion(path.join(ROOT, "node_modules", ".bin", "node"), ["--version"])).toBe(`v${pinned}`);
  });
});

describe("the tests run on it", () => {
  it("this test worker", () => {
    expect(process.version).toBe(`v${pinned}`);
    expect(fs.realpathSync(process.execPath)).toBe(fs.realpathSync(path.join(ROOT, "node_modules", ".bin", "node")));
  });

  it("processes started as `node` from PATH, as a #!/usr/bin/env node tool (tsx), and by process.execPath", () => {
    expect(childVersion("node", ["-p", "process.version"])).toBe(`v${pinned}`);
    expect(childVersion(path.join(ROOT, "node_modules", ".bin", "tsx"), ["-e", "console.log(process.version)"])).toBe(`v${pinned}`);
    expect(childVersion(process.execPath, ["-p", "process.version"])).toBe(`v${pinned}`);
  });

  it("a run on another Node is stopped with the fix named", () => {
    expect(() => assertPinnedNode("jest", "v20.20.2", "/usr/bin/node")).toThrow(
      /jest ran on Node v20\.20\.2 \(\/usr\/bin\/node\), not the pinned Node v22\.\d+\.\d+ from node_modules\/\.bin\/node\.\nRun the tests through npm .*run `npm ci`/,
    );
    expect(() => assertPinnedNode("jest", `v${pinned}`)).not.toThrow();
  });
});
