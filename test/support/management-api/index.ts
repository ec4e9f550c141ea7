export { startManagementApiStandIn, ALL_SCOPES } from "./server";
export type { ManagementApiStandIn, RecordedRequest, StandInClient, StandInOptions } from "./server";
export { TenantStore, TRIGGERS } from "./tenant-store";
export type { ActionContent, StoredAction, StoredBinding, StoredRule } from "./tenant-store";
export { FaultPlan } from "./faults";
export { testCertificates } from "../../../testing/certificates";
export type { TestCertificates } from "../../../testing/certificates";
