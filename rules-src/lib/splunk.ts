import type { Context, User } from "../types/auth0-rule";
import type { LoginEvent } from "./delivery";

/** The six fields both Splunk rules send (seeds 003 and 004). */
export interface SplunkActivity {
  message: "SignUp" | "Login";
  application: string;
  clientIP: string;
  /** Always set on Rules; an Action reads it from event.transaction, which the types leave optional. */
  protocol: string | undefined;
  userName: string | undefined;
  userId: string;
}

export function splunkActivity(event: LoginEvent, user: User, context: Context): SplunkActivity {
  return {
    message: event === "signup" ? "SignUp" : "Login",
    application: context.clientName,
    clientIP: context.request.ip,
    protocol: context.protocol,
    userName: user.name,
    userId: user.user_id,
  };
}

/** The REST simple receiver confirms with 200 and an XML `<response><results>` receipt; anything else is not a receipt. */
export function isSplunkReceipt(status: number, body: unknown): boolean {
  return status === 200 && typeof body === "string" && /<response>[\s\S]*<results>/.test(body);
}
