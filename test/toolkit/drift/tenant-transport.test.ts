/**
 * The transport of drift and import (tenant-transport.ts): the timeout bounds each whole Management API request, body
 * included (a server that sends its headers and then dribbles the body times out), no redirect is followed, and a
 * body beyond the byte cap is refused. Unit cases run Node's own fetch (the production transport) against a local HTTP
 * server; the end-to-end case runs `npm run drift -- dev` as a child process against the HTTPS stand-in.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { DriftError } from "../../../stacks/tenant/errors";
import { tenantTransport } from "../../../stacks/tenant/tenant-transport";
import { ManagementApiStandIn } from "../../support/management-api";
import { seededStandIn, TEST_CLIENT } from "./fixture-project";
import { copyToolkitProject } from "../../support/sample-project";

/** A copy of the toolkit with the sample content (never the team's rules or environments), made once. */
let projectRoot: string | undefined;
function project(): string {
  if (projectRoot === undefined) {
    projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), "drift-sample-project-"));
    copyToolkitProject(projectRoot);
  }
  return projectRoot;
}
afterAll(() => {
  if (projectRoot !== undefined) fs.rmSync(projectRoot, { recursive: true, force: true });
});

describe("tenantTransport over Node's fetch", () => {
  let server: http.Server;
  let base: string;
  const closed: string[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      request.on("close", () => closed.push(request.url ?? ""));
      if (request.url === "/dribble") {
        response.writeHead(200, { "content-type": "application/json" });
        response.write("[");
        const timer = setInterval(() => response.write(" "), 20);
        response.on("close", () => clearInterval(timer));
        return;
      }
      if (request.url === "/redirect") {
        response.writeHead(307, { location: `${base}/elsewhere` });
        response.end();
        return;
      }
      if (request.url === "/big") {
        response.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let i = 0; i < 64; i++) response.write(chunk); // 4 MB, chunked: no Content-Length
        response.end();
        return;
      }
      if (request.url === "/slow-but-complete") {
        response.writeHead(201, { "content-type": "application/json", "x-extra": "yes" });
        response.write('{"a":');
        setTimeout(() => response.end("1}"), 50);
        return;
      }
      response.writeHead(204);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("rejects with an AbortError when the body is still dribbling at the deadline, and drops the connection", async () => {
    const bounded = tenantTransport((input, init) => fetch(input, init), { timeoutMs: 300 });
    const started = Date.now();
    const error = await bounded(`${base}/dribble`).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.name).toBe("AbortError");
    expect(error?.message).toContain("did not complete within 300 ms");
    expect(Date.now() - started).toBeLessThan(3_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toContain("/dribble");
  });

  it("without the bound, the same answer resolves at its headers and its body never ends (what the SDK saw)", async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/dribble`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const body = response.text().then(
      () => "body ended",
      () => "aborted",
    );
    const outcome = await Promise.race([body, new Promise((resolve) => setTimeout(() => resolve("still reading"), 500))]);
    expect(outcome).toBe("still reading");
    controller.abort();
    expect(await body).toBe("aborted");
  });

  it("passes a complete answer through: status, headers and the body read in full", async () => {
    const bounded = tenantTransport((input, init) => fetch(input, init), { timeoutMs: 2_000 });
    const response = await bounded(`${base}/slow-but-complete`);
    expect(response.status).toBe(201);
    expect(response.headers.get("x-extra")).toBe("yes");
    expect(await response.json()).toEqual({ a: 1 });
    expect((await bounded(`${base}/empty`)).status).toBe(204);
  });

  it("does not follow a redirect (Node's fetch would): the request is refused and the target never asked", async () => {
    const guarded = tenantTransport((input, init) => fetch(input, init), { timeoutMs: 2_000 });
    const error = await guarded(`${base}/redirect`, { method: "POST", body: "client_secret=s3cret" }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error).toBeInstanceOf(DriftError);
    expect(error?.message).toContain(`answered 307 (a redirect to ${base}) for /redirect; it was not followed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).not.toContain("/elsewhere");
  });

  it("refuses a body beyond the byte cap", async () => {
    const guarded = tenantTransport((input, init) => fetch(input, init), { timeoutMs: 5_000, maxResponseBytes: 1024 * 1024 });
    await expect(guarded(`${base}/big`)).rejects.toThrow("answered /big with more than 1 MB; the answer was not read further");
    const roomy = tenantTransport((input, init) => fetch(input, init), { timeoutMs: 5_000, maxResponseBytes: 8 * 1024 * 1024 });
    expect((await (await roomy(`${base}/big`)).arrayBuffer()).byteLength).toBe(4 * 1024 * 1024);
  });

  it("still honours the caller's abort signal", async () => {
    const bounded = tenantTransport((input, init) => fetch(input, init), { timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(bounded(`${base}/dribble`, { signal: controller.signal })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe("npm run drift -- dev against a Management API that dribbles its answer", () => {
  let standIn: ManagementApiStandIn;
  let workDir: string;

  beforeAll(async () => {
    standIn = await seededStandIn("dev");
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-dribble-"));
  });

  afterAll(async () => {
    await standIn.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("times out after the 10 s request timeout, exits 1 and says drift is unknown", async () => {
    standIn.faults.dribbleNext("/api/v2/rules");
    const caFile = path.join(workDir, "ca.pem");
    fs.writeFileSync(caFile, standIn.caPem);
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", NODE_EXTRA_CA_CERTS: caFile, AUTH0_DOMAIN: standIn.domain };
    for (const name of ["AUTH0_API_TOKEN"]) delete env[name];
    Object.assign(env, { AUTH0_CLIENT_ID: TEST_CLIENT.clientId, AUTH0_CLIENT_SECRET: TEST_CLIENT.clientSecret });
    const result = await new Promise<{ code: number | null; stderr: string; killed: boolean }>((resolve, reject) => {
      const child = spawn("npm", ["run", "--silent", "drift", "--", "dev"], { cwd: project(), env, stdio: ["ignore", "ignore", "pipe"], detached: true });
      let stderr = "";
      let killed = false;
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      // Far beyond the 10 s bound; before the fix the probe saw the command killed at 300 s.
      const timer = setTimeout(() => {
        killed = true;
        process.kill(-child.pid!, "SIGKILL");
      }, 90_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stderr, killed });
      });
    });
    expect(result.killed).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The Management API at https://${standIn.domain} did not answer within 10000 ms while listing rules`);
    expect(result.stderr).not.toContain(TEST_CLIENT.clientSecret);
    expect(standIn.requests.map((request) => `${request.path} ${request.status}`)).toContain("/api/v2/rules dribbled");
  }, 100_000);
});
