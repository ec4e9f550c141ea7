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
