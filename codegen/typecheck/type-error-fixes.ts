import * as fs from "fs";
import * as path from "path";

/** What to do about the TypeScript errors rule authors meet most (by diagnostic code), for both type-checkers. */
export const TYPE_ERROR_FIXES: Readonly<Record<number, string>> = {
  2339: "use a property the Auth0 runtime provides: the types in rules-src/types/auth0-rule.d.ts list them (fields are case-sensitive, e.g. context.request.userAgent).",
  2551: "use a property the Auth0 runtime provides: the types in rules-src/types/auth0-rule.d.ts list them (fields are case-sensitive).",
  2304: "declare the variable, import the helper from rules-src/lib or the npm package (`import request from \"request\";`), or use one of the rule globals (configuration, auth0, global, UnauthorizedError).",
  2552: "declare the variable, import the helper from rules-src/lib or the npm package (`import request from \"request\";`), or use one of the rule globals (configuration, auth0, global, UnauthorizedError).",
  1005: "fix the syntax at the position shown (a missing comma, bracket or parenthesis).",
  1109: "fix the syntax at the position shown.",
  1128: "fix the syntax at the position shown.",
  2307: "install the package with `npm install --save-exact <name>@<version>` (it becomes a rule dependency; if it ships no types, add @types/<name> at the matching version to devDependencies) or fix the relative import path.",
  7006: "give the parameter a type.",
  7017: "declare the type of what the rule keeps on `global` in the rule file: `declare global { var tokenCache: { token: string; expires: number } | undefined; }`, then write global.tokenCache = global.tokenCache || …",
  7016: "the package has no types: install its types as a devDependency at the matching version (npm install --save-dev --save-exact @types/<name>@<same major.minor>), or declare the module in rules-src/types/<name>.d.ts.",
  6133: "remove the unused declaration or use it.",
};

/** The npm package a module specifier names (`uuid`, `@scope/pkg` from `@scope/pkg/sub`), or undefined when relative. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The fix for diagnostic `code` with `message`, in the project at `root`. An npm import that has no types (TS7016) or
 * cannot be found (TS2307) and is not in package.json `dependencies` either gets one message naming both steps, so
 * that the author does not meet the second only after fixing the first.
 */
export function typeErrorFix(code: number, message: string, root: string): string | undefined {
  if (code === 7016 || code === 2307) {
    const specifier = /module '([^']+)'/.exec(message)?.[1];
    const name = specifier === undefined ? undefined : packageOf(specifier);
    const dependencies = (readJson(path.join(root, "package.json"))?.["dependencies"] ?? {}) as Record<string, unknown>;
    if (name !== undefined && !(name in dependencies)) {
      const installed = readJson(path.join(root, "node_modules", name, "package.json"))?.["version"];
      const version = typeof installed === "string" ? installed : "<version>";
      const majorMinor = typeof installed === "string" ? installed.split(".").slice(0, 2).join(".") : "<same major.minor>";
      const typesName = name.startsWith("@") ? `@types/${name.slice(1).replace("/", "__")}` : `@types/${name}`;
      const types = code === 7016 ? ` and it ships no types: also npm install --save-dev --save-exact ${typesName}@${majorMinor} (or declare the module in rules-src/types/${name.replace("/", "__")}.d.ts)` : " (if it ships no types, also add " + `${typesName} at the matching version to devDependencies)`;
      return `package "${name}" is not in package.json dependencies${code === 7016 ? "" : " (or not installed)"}: npm install --save-exact ${name}@${version} (Auth0 loads exactly that version)${types}; then npm run generate.`;
    }
  }
  return TYPE_ERROR_FIXES[code];
}

/**
 * The message with the project's absolute paths made relative (`node_modules/uuid/…`, `rules-src/…`): shorter, and
 * the same on every machine. node_modules is also matched by its real path (a linked node_modules).
 */
export function relativeMessage(message: string, root: string): string {
  const prefixes = [path.join(root, "node_modules"), root];
  try {
    prefixes.unshift(fs.realpathSync(path.join(root, "node_modules")));
  } catch {
    // no node_modules: nothing more to match
  }
  let text = message;
  for (const prefix of prefixes) text = text.split(`${prefix}${path.sep}`).join(prefix === root ? "" : `node_modules${path.sep}`);
  return text;
}
