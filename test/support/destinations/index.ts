/**
 * Local stand-ins of the analytics destinations the Auth0 rules send events to (Segment, Keen IO, Splunk HEC,
 * Splunk REST), on 127.0.0.1 with ephemeral ports. Typical use in a test:
 *
 *   const destinations = await startAllDestinations();          // test credentials
 *   const configuration = destinations.configuration();         // the rules' `configuration` object
 *   // … run a rule with `configuration` …
 *   await destinations.segment.waitForRequests(1);
 *   expect(destinations.segment.events("track")[0]).toMatchObject({ userId: "auth0|1", event: "Logged In" });
 *   await destinations.keen.setFault({ kind: "refuse" });      // or failNext(1, { kind: "reset" }), hang, slow, …
 *   await destinations.resetAll();                              // between tests
 *   await destinations.stopAll();                               // afterAll
 */
export { HttpStandIn, jsonReply, textReply, xmlReply } from "./http-stand-in";
export type { MaskedRequest, RecordedRequest, StandInOptions, StandInReply } from "./http-stand-in";
export type { Fault, FaultKind, RequestFault } from "../../../testing/faults";
/** A destination fault's scope: `when` is given the request as the stand-in received it. */
export type FaultScope = import("../../../testing/faults").FaultScope<import("./received-request").ReceivedRequest>;
export type { ReceivedRequest } from "./received-request";
export { MASK } from "./secret-mask";
export { SegmentStandIn } from "./segment";
export type { DroppedSegmentMessage, SegmentCredentials, SegmentDelivery, SegmentEvent, SegmentMessage, SegmentMessageType } from "./segment";
export { KeenStandIn } from "./keen";
export type { KeenCredentials, KeenEvent, KeenOptions, KeenProperties } from "./keen";
export { HEC_REPLY_CODES, SplunkHecStandIn, splitConcatenatedJson } from "./splunk-hec";
export type { ConcatenatedJson, HecEnvelope, HecHealthCode, SplunkHecOptions } from "./splunk-hec";
export { SplunkRestStandIn } from "./splunk-rest";
export type { SplunkRestCredentials, SplunkRestEvent, SplunkRestReceipt } from "./splunk-rest";
export { CatchAllStandIn } from "./catch-all";
export { rulesConfiguration, startAllDestinations, TEST_CREDENTIALS } from "./all-destinations";
export type { DestinationCredentials, Destinations, RuleConfiguration, RunningDestinations } from "./all-destinations";
