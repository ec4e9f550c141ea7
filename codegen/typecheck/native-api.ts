import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * TypeScript 7's checker API (`typescript-native/unstable/sync`, shipped with typescript@7.0.2): a synchronous client
 * of the native compiler running as its own process (`tsc --api`), with `getSymbolAtPosition`, `getTypeAtLocation`,
 * diagnostics and the rest. The package is ES modules only; jest's CommonJS runtime cannot `require` them (Node 22's
 * own require() of ES modules does not reach into jest's module sandbox), so the client's modules are transpiled to CommonJS once per installed version into
 * .cache/typescript-native-api/<version>/ (gitignored), the way codegen/bin.js builds the compiler itself. The API is
 * marked unstable: every use goes through native-project.ts, and anything unexpected makes the compiler fall back to
 * the in-process TypeScript program. The build is code this process runs: it is used only when it verifies against
 * the manifest its build wrote (core/verified-build.js, as codegen/bin.js does for the compiler), else it is built
 * again; where the repository's caches are not trusted (tracked by git, or CI; cache-trust.js), it is made afresh in
 * a private temporary folder, removed at exit.
 */
// The root tsconfig resolves modules the Node 10 way, which does not see the package's "exports": the parts used are
// typed in native-api-types.ts.
import type { NativeApiModule, NativeAstModule } from "./native-api-types";
import { verified, writeManifest } from "../core/verified-build";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cacheDistrust } = require("../core/cache-trust") as { cacheDistrust(root: string): string | undefined };

const ENTRY_POINTS = ["api/sync/api.js", "ast/index.js"];
const REQUIRED = ENTRY_POINTS.map((entry) => `dist/${entry}`);

/** What a build is made from: the installed package (npm checked its files against the lock file's integrity). */
function sourcesHash(packageDir: string, version: string): string {
  return createHash("sha256").update(`typescript-native ${version}\0`).update(fs.readFileSync(path.join(packageDir, "package.json"))).digest("hex");
}

let loaded: { api: NativeApiModule; ast: NativeAstModule } | undefined;

/** The API module and the AST module (SyntaxKind, NodeFlags), or throws when the package is not installed. */
export function loadNativeApi(): { api: NativeApiModule; ast: NativeAstModule } {
  if (loaded) return loaded;
  const packageDir = path.dirname(require.resolve("typescript-native/package.json"));
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string }).version;
  const buildDir = nativeApiBuild(packageDir, version, findCacheRoot(packageDir));
  loaded = {
    api: require(path.join(buildDir, "dist", "api", "sync", "api.js")) as NativeApiModule,
    ast: require(path.join(buildDir, "dist", "ast", "index.js")) as NativeAstModule,
  };
  return loaded;
}

/**
 * The folder of the client's CommonJS build: the one in <cacheRoot>/typescript-native-api/<version>, made there when
 * missing; or, where the repository's caches are not trusted, one made afresh in a private temporary folder.
 */
export function nativeApiBuild(packageDir: string, version: string, cacheRoot: string): string {
  const buildDir = path.join(cacheRoot, "typescript-native-api", version);
  const hash = sourcesHash(packageDir, version);
  if (cacheDistrust(path.dirname(cacheRoot))) {
    const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), "typescript-native-api-"));
    process.once("exit", () => fs.rmSync(privateDir, { recursive: true, force: true }));
    build(packageDir, path.join(privateDir, version), hash);
    return path.join(privateDir, version);
  }
  if (!verified(buildDir, hash, REQUIRED)) build(packageDir, buildDir, hash);
  return buildDir;
}

/** The repository's .cache/ (next to the node_modules the package is installed in). */
function findCacheRoot(packageDir: string): string {
  let dir = packageDir;
  while (path.basename(dir) !== "node_modules" && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(path.dirname(dir), ".cache");
}

/**
 * Transpiles the modules reachable from the entry points, ESM → CommonJS, into a temporary folder, writes its manifest
 * and renames it into place (over a folder that did not verify).
 */
function build(packageDir: string, buildDir: string, hash: string): void {
  const { ts } = require("../core/typescript") as typeof import("../core/typescript");
  const tmp = `${buildDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const queue = ENTRY_POINTS.map((e) => path.join(packageDir, "dist", e));
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = path.relative(packageDir, file);
    let text = fs.readFileSync(file, "utf8");
    // Package-internal specifiers ("imports" in package.json) become relative paths; the executable's path is always
    // passed explicitly (native-project.ts), so the launcher's lookup (which needs import.meta) is not built.
    text = text.replace(/(from\s+|import\s+)"(#[^"]+|\.{1,2}\/[^"]+)"/g, (_, keyword: string, specifier: string) => {
      const target = internalTarget(packageDir, file, specifier);
      if (target === undefined) return `${keyword}"${specifier}"`;
      if (target !== "stub") queue.push(target);
      const relative = target === "stub" ? "./native-api-no-launcher.js" : path.relative(path.dirname(file), target).split(path.sep).join("/");
      return `${keyword}"${relative.startsWith(".") ? relative : `./${relative}`}"`;
    });
    const out = ts.transpileModule(text, {
      fileName: rel,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), out.outputText);
    if (/native-api-no-launcher/.test(text)) {
      fs.writeFileSync(
        path.join(path.dirname(path.join(tmp, rel)), "native-api-no-launcher.js"),
        '"use strict";\nexports.default = () => { throw new Error("pass tsserverPath: the launcher is not built"); };\n',
      );
    }
  }
  writeManifest(tmp, hash);
  if (fs.existsSync(buildDir) && !verified(buildDir, hash, REQUIRED)) fs.rmSync(buildDir, { recursive: true, force: true });
  try {
    fs.mkdirSync(path.dirname(buildDir), { recursive: true });
    fs.renameSync(tmp, buildDir);
  } catch (error) {
    // Another process finished the same build first: its copy is used, if it verifies.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!verified(buildDir, hash, REQUIRED)) throw error;
  }
}

/** The file a specifier names inside the package ("stub" for the launcher), or undefined for another package. */
function internalTarget(packageDir: string, from: string, specifier: string): string | "stub" | undefined {
  if (specifier === "#getExePath") return "stub";
  if (specifier.startsWith("#enums/")) return path.join(packageDir, "dist", "enums", `${specifier.slice("#enums/".length)}.js`);
  if (specifier === "#vscode-jsonrpc/node") return undefined;
  if (specifier.startsWith("#")) throw new Error(`typescript-native: unknown internal module ${specifier}`);
  return path.resolve(path.dirname(from), specifier);
}
