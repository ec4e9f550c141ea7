/**
 * Turns what the auth0 SDK throws into a DriftError that says what failed and what to do. A failed read is never
 * turned into "no drift": every one of these ends the command with exit code 1.
 */
import { DriftError } from "./errors";
import { httpFailure } from "./rate-limit-retry";

export interface ApiCallContext {
  /** What was being done, e.g. "listing rules (GET /api/v2/rules)". */
  operation: string;
  domain: string;
  timeoutMs: number;
}

/** The API's own explanation: `message`, `error_description` or `error` of the (parsed) error body. */
function apiMessage(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  let body = (error as { body?: unknown }).body;
  if (typeof body === "string") {
    const text: string = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text.trim().slice(0, 200);
    }
  }
  if (typeof body === "object" && body !== null) {
    const parsed = body as { message?: unknown; error_description?: unknown; error?: unknown };
    for (const field of [parsed.message, parsed.error_description, parsed.error]) {
      if (typeof field === "string" && field !== "") return field;
    }
  }
  return "";
}

/** The first `code` (e.g. ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE) along the error's cause chain. */
function causeCode(error: unknown): string {
  let current: unknown = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return "";
}

/** A DriftError the transport raised (a refused redirect, an answer too large), however deep the SDK wrapped it. */
function transportRefusal(error: unknown): DriftError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    if (current instanceof DriftError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function translateApiError(error: unknown, context: ApiCallContext): DriftError {
  const refused = transportRefusal(error);
  if (refused) return refused;
  const where = `https://${context.domain}`;
  const failure = httpFailure(error);
  if (failure) {
    const detail = apiMessage(error);
    const said = detail ? `: ${detail}` : "";
    if (failure.statusCode === 401) {
      return new DriftError(
        "credentials",
        `The Management API at ${where} rejected the credentials (401 Unauthorized${said}) while ${context.operation}. ` +
          "Check that AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET belong to a machine-to-machine application of this tenant " +
          "authorized for the Management API, or that AUTH0_API_TOKEN is a current token for this tenant.",
      );
    }
    if (failure.statusCode === 403) {
      return new DriftError(
        "credentials",
        `The Management API at ${where} refused access (403 Forbidden${said}) while ${context.operation}. ` +
          "Grant the application the scopes read:rules, read:rules_configs and read:actions " +
          "(Dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications).",
      );
    }
    if (failure.statusCode >= 500) {
      return new DriftError(
        "tenant-api",
        `The Management API at ${where} failed with ${failure.statusCode}${said} while ${context.operation}. ` +
          "Nothing was compared, so drift is unknown: retry later and check https://status.auth0.com.",
      );
    }
    return new DriftError(
      "tenant-api",
      `The Management API at ${where} answered ${failure.statusCode}${said} while ${context.operation}. ` +
        "Check that the domain is the tenant's (AUTH0_DOMAIN or the environment configuration).",
    );
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "ManagementTimeoutError" || name === "TimeoutError") {
    return new DriftError(
      "tenant-api",
      `The Management API at ${where} did not answer within ${context.timeoutMs} ms while ${context.operation}. ` +
        "Nothing was compared, so drift is unknown: check the domain and the network, then retry.",
    );
  }
  // Without a status, the SDK's ManagementError is a failure to exchange anything (refused, reset, DNS, TLS).
  if (name === "ManagementError") {
    const code = causeCode(error);
    const tlsHint = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)
      ? " The server's certificate is not trusted: for a private CA, set NODE_EXTRA_CA_CERTS to its PEM file."
      : " Check the domain (AUTH0_DOMAIN or the environment configuration) and the network.";
    return new DriftError(
      "tenant-api",
      `Could not reach the Management API at ${where} while ${context.operation}${code ? ` (${code})` : ""}.${tlsHint}`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DriftError("tenant-api", `Unexpected failure while ${context.operation} at ${where}: ${message}`);
}
