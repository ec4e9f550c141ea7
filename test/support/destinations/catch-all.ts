/**
 * A host of no particular kind, for the content checks: it answers every request 200 `{}` and takes the same faults
 * as the destination stand-ins (refuse, reset, status, hang, slow, garbage). The outage check points every `*_URL`
 * setting of a rule at one and breaks it.
 */
import { HttpStandIn, jsonReply, type StandInReply } from "./http-stand-in";
import type { ReceivedRequest } from "./received-request";

export class CatchAllStandIn extends HttpStandIn {
  constructor(label = "catch-all stand-in") {
    super(label);
  }

  protected parseBody(request: ReceivedRequest): unknown {
    return request.bodyText === "" ? undefined : JSON.parse(request.bodyText);
  }

  protected handle(): StandInReply {
    return jsonReply(200, {});
  }

  protected errorReply(status: number): StandInReply {
    return jsonReply(status, { error: `status ${status} from the ${this.label}` });
  }

  protected bodyTooLargeReply(): StandInReply {
    return jsonReply(413, { error: "body too large" });
  }

  protected secretValues(): string[] {
    return [];
  }

  protected clearEvents(): void {}
}
