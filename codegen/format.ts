import * as prettier from "prettier";

/** One fixed prettier configuration, so the same source gives the same bytes everywhere. */
const OPTIONS: prettier.Options = {
  parser: "babel",
  printWidth: 100,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
};

export function formatJavaScript(code: string): Promise<string> {
  return prettier.format(code, OPTIONS);
}
