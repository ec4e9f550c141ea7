/**
 * Warms the module cache before code runs. Auth0 installs a script's modules at deploy time, so loading them
 * is not part of an execution; here the first `require` of a package can take hundreds of milliseconds, and it
 * would otherwise count against a test's (small) execution limit — or be cut off by the synchronous-run
 * watchdog half way through initialising the module.
 */

/** The string literals passed to `require(...)` in a script. */
export function requiredSpecifiers(code: string): string[] {
  const found = new Set<string>();
  const pattern = /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
  for (let match = pattern.exec(code); match !== null; match = pattern.exec(code)) found.add(match[2]);
  return [...found].sort();
}

/**
 * Load each specifier through the script's own `require`, ignoring failures: a specifier that cannot be
 * loaded fails again, with its explanatory error, when the code requires it during an execution.
 */
export function preloadModules(specifiers: string[], load: (specifier: string) => unknown): void {
  for (const specifier of specifiers) {
    try {
      load(specifier);
    } catch {
      // reported by the execution that requires it
    }
  }
}
