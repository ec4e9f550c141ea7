/**
 * Terraform `import` blocks for resources an environment adopts from its tenant (`npm run import -- <env>`), so that
 * the first plan imports them instead of creating duplicates (Auth0 answers 409 to a second rule of one name).
 * The entries live in the committed file `stacks/imports/<env>.json` (ids are not secrets); the stack gives each
 * matching resource cdktf's `importFrom(id)` (Terraform >= 1.5). `npm run import -- <env> --done` deletes the file
 * once the import has been applied.
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformResource, TerraformStack } from "cdktf";
import { StacksError } from "../core/errors";
import { escapeTerraformTemplate } from "../core/terraform-string";

export interface ImportEntry {
  /** Terraform address in the stack, e.g. `auth0_rule.add_roles`. */
  to: string;
  /** The provider's import id: rule id, rules-config key, action id, or trigger id (`post-login`). */
  id: string;
}

/** A tenant rule whose name could not be kept as a file or Terraform name, and what it became. */
export interface RenamedRule {
  tenantName: string;
  ruleName: string;
  source: string;
}

export interface ImportFile {
  /** What wrote it, for people reading the file. */
  comment: string;
  environment: string;
  tenant: string;
  imports: ImportEntry[];
  renamed: RenamedRule[];
}

/** `stacks/imports/<env>.json` under the repository root. */
export function importFilePath(root: string, environment: string): string {
  return path.join(root, "stacks", "imports", `${environment}.json`);
}

export class ImportFileError extends StacksError {}

function problem(file: string, what: string): never {
  throw new ImportFileError(
    `${file}: ${what}. It is written by \`npm run import -- <env>\`: run it again, or remove the file with --done once the import is applied.`,
  );
}

/** Reads and checks an environment's import file; undefined when there is none. */
export function readImportFile(root: string, environment: string): ImportFile | undefined {
  const file = importFilePath(root, environment);
  if (!fs.existsSync(file)) return undefined;
  const label = path.relative(root, file);
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    return problem(label, `is not valid JSON (${(error as Error).message})`);
  }
  const body = document as Partial<ImportFile> | null;
  if (typeof body !== "object" || body === null || !Array.isArray(body.imports)) return problem(label, 'has no "imports" list');
  if (body.environment !== environment) return problem(label, `is for environment "${String(body.environment)}", not "${environment}"`);
  body.imports.forEach((entry, index) => {
    if (typeof entry?.to !== "string" || !/^auth0_[a-z_]+\.[a-z_][a-z0-9_]*$/.test(entry.to)) problem(label, `imports[${index}].to is not a resource address`);
    if (typeof entry.id !== "string" || entry.id === "") problem(label, `imports[${index}].id is empty`);
  });
  return { comment: body.comment ?? "", environment, tenant: body.tenant ?? "", imports: body.imports, renamed: body.renamed ?? [] };
}

/**
 * Gives every resource of `stack` listed in the environment's import file `importFrom(id)`. An entry naming a
 * resource the stack does not declare is an error: the import would silently not happen.
 */
export function applyImportBlocks(stack: TerraformStack, root: string, environment: string): number {
  const file = readImportFile(root, environment);
  if (!file) return 0;
  const resources = new Map<string, TerraformResource>();
  for (const child of stack.node.findAll()) {
    if (child instanceof TerraformResource) resources.set(`${child.terraformResourceType}.${child.friendlyUniqueId}`, child);
  }
  const unknown = file.imports.filter((entry) => !resources.has(entry.to));
  if (unknown.length > 0) {
    throw new ImportFileError(
      `${path.relative(root, importFilePath(root, environment))}: the stack of environment "${environment}" does not declare ` +
        `${unknown.map((entry) => entry.to).join(", ")}. Run \`npm run generate\` (a rule imported into rules-src is not compiled yet), ` +
        `check the environment's rules in stacks/environments.ts, or run \`npm run import -- ${environment}\` again.`,
    );
  }
  // The ids come from the tenant: a literal, never an expression (terraform-string.ts).
  for (const entry of file.imports) resources.get(entry.to)!.importFrom(escapeTerraformTemplate(entry.id));
  return file.imports.length;
}
