/**
 * Typed views of the official npm clients that ship without type declarations (analytics-node, keen-tracking,
 * splunk-logging), limited to what the contract tests call. Versions are pinned in package.json.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

// ---- analytics-node@6.2.0 (legacy Segment client, axios) ---------------------------------------------------------------

export interface LegacyAnalyticsOptions {
  host?: string;
  flushAt?: number;
  flushInterval?: number;
  timeout?: number;
  retryCount?: number;
  axiosRetryConfig?: { retryDelay?: () => number };
  errorHandler?: (error: Error) => void;
}
export type LegacyCallback = (error?: Error) => void;
export interface LegacyAnalytics {
  identify(message: Record<string, unknown>, callback?: LegacyCallback): LegacyAnalytics;
  track(message: Record<string, unknown>, callback?: LegacyCallback): LegacyAnalytics;
  flush(callback?: LegacyCallback): Promise<unknown>;
  flushed: boolean;
}
export const LegacyAnalytics: new (writeKey: string, options?: LegacyAnalyticsOptions) => LegacyAnalytics =
  require("analytics-node");

// ---- keen-tracking@5.0.1 -----------------------------------------------------------------------------------------------

export interface KeenTrackingConfig {
  projectId: string;
  writeKey: string;
  protocol: "http" | "https";
  /** A bare host name: keen-tracking passes it to http.request as `host`, so "127.0.0.1:PORT" fails (ENOTFOUND). */
  host: string;
  /** Spread into the http.request options: the way to set a port. */
  nodeRequestConfig?: { port?: number };
  retry?: { limit?: number };
}
/** Errors are an `Error` with `code` = the reply's `error_code`, or the raw body for a retryable status. */
export type KeenCallback = (error: (Error & { code?: string }) | string | null, response: unknown) => void;
export interface KeenTracking {
  recordEvent(collection: string, event: Record<string, unknown>, callback?: KeenCallback): Promise<unknown>;
  recordEvents(events: Record<string, Record<string, unknown>[]>, callback?: KeenCallback): Promise<unknown>;
}
export const KeenTracking: new (config: KeenTrackingConfig) => KeenTracking = require("keen-tracking");

// ---- splunk-logging@0.11.1 (HEC client, needle) ----------------------------------------------------------------------

export interface SplunkLoggerConfig {
  token: string;
  url: string;
  maxBatchCount?: number;
  maxRetries?: number;
}
export interface SplunkPayload {
  message: unknown;
  severity?: string;
  metadata?: { source?: string; sourcetype?: string; index?: string; host?: string; time?: number };
}
export interface SplunkResponse {
  statusCode: number;
}
export type SplunkCallback = (error: Error | null, response: SplunkResponse | null, body: unknown) => void;
export interface SplunkLogger {
  send(payload: SplunkPayload, callback?: SplunkCallback): void;
  flush(callback?: SplunkCallback): void;
  /** Called for request errors and for replies whose `code` is not 0; the default prints to the console. */
  error: (error: Error & { code?: number }, context: unknown) => void;
}
export const SplunkLogger: new (config: SplunkLoggerConfig) => SplunkLogger = require("splunk-logging").Logger;
