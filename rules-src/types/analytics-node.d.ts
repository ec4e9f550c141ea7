/** The part of analytics-node@6.2.0 (Segment's classic Node library, CommonJS `module.exports = Analytics`) rules use. */
declare module "analytics-node" {
  interface AnalyticsOptions {
    host?: string;
    path?: string;
    flushAt?: number;
    flushInterval?: number;
    /** Axios request timeout, milliseconds. */
    timeout?: number;
    retryCount?: number;
    enable?: boolean;
    /** Without it, version 6 turns an HTTP error into an unhandled promise rejection. */
    errorHandler?: (error: Error) => void;
    /** Passed to axios.create: `transformResponse` runs on every reply and may reject it by throwing. */
    axiosConfig?: { transformResponse?: Array<(data: unknown) => unknown> };
  }
  interface Message {
    /** Segment's de-duplication key (under 100 characters); the library makes one up when it is missing. */
    messageId?: string;
    userId?: string;
    anonymousId?: string;
    context?: Record<string, unknown>;
    timestamp?: Date;
  }
  interface IdentifyMessage extends Message {
    traits?: Record<string, unknown>;
  }
  interface TrackMessage extends Message {
    event: string;
    properties?: Record<string, unknown>;
  }
  /** Called after the batch holding the message was sent (or failed): the only delivery signal (flush(cb) is not). */
  type MessageCallback = (error?: Error | null) => void;
  class Analytics {
    constructor(writeKey: string, options?: AnalyticsOptions);
    identify(message: IdentifyMessage, callback?: MessageCallback): Analytics;
    track(message: TrackMessage, callback?: MessageCallback): Analytics;
    flush(callback?: (error?: Error | null) => void): Promise<unknown>;
  }
  export = Analytics;
}
