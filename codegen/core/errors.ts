/** A problem in the rule sources: where it is, what is wrong, and how to fix it. */
export interface SourceLocation {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The text of the offending line. */
  sourceLine: string;
}

export class CompileError extends Error {
  constructor(
    message: string,
    readonly location?: SourceLocation,
    readonly fix?: string,
  ) {
    super(message);
    this.name = "CompileError";
  }

  format(): string {
    const lines: string[] = [];
    const where = this.location ? `${this.location.file}:${this.location.line}:${this.location.column}` : "rules-src";
    lines.push(`${where} - error: ${this.message}`);
    if (this.location) {
      const gutter = String(this.location.line);
      lines.push(`  ${gutter} | ${this.location.sourceLine}`);
      lines.push(`  ${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, this.location.column - 1))}^`);
    }
    if (this.fix) lines.push(`  Fix: ${this.fix}`);
    return lines.join("\n");
  }
}

/** Several problems found in one pass; the compiler reports all of them before it stops. */
export class CompileErrors extends Error {
  constructor(readonly errors: CompileError[]) {
    super(`${errors.length} error${errors.length === 1 ? "" : "s"} in rules-src`);
    this.name = "CompileErrors";
  }

  format(): string {
    return [...this.errors.map((e) => e.format()), "", this.message + "; generated/ was not changed."].join("\n");
  }
}
