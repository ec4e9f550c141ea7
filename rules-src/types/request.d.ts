/**
 * Types of the `request` module as a rule imports it: `import request from "request";` compiles to
 * `require("request@2.88.2")` in the Rule (the version pinned in package.json `dependencies`, the one Auth0 support
 * recommends for the Node 18 runtime) and, in the Action, to `require("@cypress/request")`, the maintained fork with the
 * same API (see docs/authoring-rules.md). Written from the request README ("request(options, callback)", "Convenience
 * methods", "Forms", "HTTP Authentication", "Timeouts") rather than taken from @types/request, so that the body a
 * callback receives is typed by what was asked for:
 *   - `json` set (true or a JSON body): the reply is parsed as JSON when it parses, so the body is `unknown`;
 *   - `encoding: null`: the body is a `Buffer`;
 *   - otherwise: the body is a `string`.
 * The callback gets `(error, undefined, undefined)` or `(null, response, body)`: check `error` first, then
 * `response` and `body` are set (TypeScript narrows them).
 * rules-src/tsconfig.json maps the module name "request" to this file.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "http";
import type { EventEmitter } from "events";

declare namespace request {
  type Primitive = string | number | boolean;
  /** `qs` and `form` values: `undefined` leaves the key out, `null` sends it empty, an array repeats it. */
  type ParameterValue = Primitive | null | undefined | readonly Primitive[];

  interface AuthOptions {
    user?: string;
    username?: string;
    pass?: string;
    password?: string;
    /** Send the Authorization header with the first request (default true) instead of after a 401. */
    sendImmediately?: boolean;
    /** `Authorization: Bearer <token>`. */
    bearer?: string | (() => string);
  }

  interface CoreOptions {
    /** Any HTTP method; the convenience methods set it. Default GET. */
    method?: string;
    headers?: Record<string, string | number | readonly string[] | undefined>;
    /** Query string parameters, added to the URL. */
    qs?: Record<string, ParameterValue | Record<string, ParameterValue>>;
    /** Prefixed to a relative `url`. */
    baseUrl?: string;
    /** The request body: a string or Buffer, or (with `json: true`) any JSON value. */
    body?: unknown;
    /** An `application/x-www-form-urlencoded` body: an object of fields or an already encoded string. */
    form?: Record<string, ParameterValue> | string;
    /** A `multipart/form-data` body. */
    formData?: Record<string, unknown>;
    /** `true`: send `body` as JSON and parse the reply as JSON; an object: send it as the JSON body. */
    json?: unknown;
    auth?: AuthOptions;
    /** Milliseconds before the request fails with ETIMEDOUT (connect) or ESOCKETTIMEDOUT (read). */
    timeout?: number;
    /** false: accept any TLS certificate. Default true. */
    strictSSL?: boolean;
    /** Follow GET redirects (default true), or decide per response. */
    followRedirect?: boolean | ((response: IncomingMessage) => boolean);
    /** Follow redirects of every method (default false). */
    followAllRedirects?: boolean;
    /** Keep the original method on a redirect instead of switching to GET (default false). */
    followOriginalHttpMethod?: boolean;
    /** At most this many redirects (default 10). */
    maxRedirects?: number;
    removeRefererHeader?: boolean;
    /** Ask for a compressed reply and decompress it. */
    gzip?: boolean;
    /** The encoding of the body string (default utf8); `null`: the body is a Buffer. */
    encoding?: BufferEncoding | null;
    /** Use the `querystring` module instead of `qs` for `qs` and `form`. */
    useQuerystring?: boolean;
    /** Remember cookies (true: the module's global jar). */
    jar?: boolean;
    /** Record timings on the response (`response.elapsedTime`, `response.timings`). */
    time?: boolean;
    proxy?: string;
    forever?: boolean;
  }

  type UrlOptions = { url: string; uri?: undefined } | { uri: string; url?: undefined };
  type Options = CoreOptions & UrlOptions;

  /** The raw body type: a Buffer with `encoding: null`, else a string. */
  type RawBody<O> = "encoding" extends keyof O ? (O[Extract<"encoding", keyof O>] extends null ? Buffer : string) : string;
  /** The body a callback receives for options of type O (see the top of this file). */
  type BodyOf<O> = "json" extends keyof O
    ? [Exclude<O[Extract<"json", keyof O>], undefined | false>] extends [never]
      ? RawBody<O>
      : unknown
    : RawBody<O>;

  interface Response<B = unknown> extends IncomingMessage {
    statusCode: number;
    statusMessage: string;
    headers: IncomingHttpHeaders;
    body: B;
    /** With `time: true`: milliseconds from the start of the request to the end of the response. */
    elapsedTime?: number;
  }

  /** A request failure: a Node network error (`code` ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ESOCKETTIMEDOUT, …). */
  interface RequestError extends Error {
    code?: string;
    /** With ETIMEDOUT: true when the connection itself timed out. */
    connect?: boolean;
  }

  type RequestCallback<B = unknown> = (
    ...args: [error: RequestError, response: undefined, body: undefined] | [error: null, response: Response<B>, body: B]
  ) => void;

  /** What a call returns: the request in flight (rules rarely need it). */
  interface Request extends EventEmitter {
    abort(): void;
  }

  /** `request(options, cb)`, `request(url, cb)` and `request(url, options, cb)`: the same forms for every method. */
  interface RequestMethod {
    <O extends Options>(options: O, callback?: RequestCallback<BodyOf<O>>): Request;
    <O extends CoreOptions>(url: string, options: O, callback?: RequestCallback<BodyOf<O>>): Request;
    (url: string, callback?: RequestCallback<string>): Request;
  }

  interface RequestAPI extends RequestMethod {
    get: RequestMethod;
    post: RequestMethod;
    put: RequestMethod;
    patch: RequestMethod;
    head: RequestMethod;
    del: RequestMethod;
    delete: RequestMethod;
    /** A request function whose calls start from these options. */
    defaults(options: CoreOptions): RequestAPI;
  }
}

declare const request: request.RequestAPI;
export = request;
