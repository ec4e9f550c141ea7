/**
 * Errors the stacks raise for problems a user can fix. Every message names the file or environment at fault and
 * says what to do. The CLIs print `message` alone (no stack trace) and exit non-zero.
 */
export class StacksError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** `generated/` is missing, malformed, or does not match its manifest. */
export class GeneratedOutputError extends StacksError {}

/** `generated/` no longer matches `rules-src/` (the compiler's `checkGenerated` says so). */
export class StaleGeneratedError extends StacksError {}

/** The environment configuration (`stacks/environments.ts`) is invalid. Lists every problem found, not just the first. */
export class EnvironmentConfigError extends StacksError {
  constructor(public readonly problems: readonly string[]) {
    super(
      `Invalid environment configuration (stacks/environments.ts), ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map((problem) => `  - ${problem}`).join("\n"),
    );
  }
}

/**
 * A synthesized stack holds a Terraform expression the stacks did not build (text from the tenant or the configuration
 * that would be evaluated by Terraform; terraform-string.ts). The stack's output is removed.
 */
export class TemplateInjectionError extends StacksError {}

/** Something needed to run terraform (binary, credentials, variables) is missing. */
export class TerraformPreconditionError extends StacksError {}
