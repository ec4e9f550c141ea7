// Rules-to-Actions adapter: runs a compiled Auth0 rule inside a post-login Action.
// This file is inlined (without its last line) into every generated/actions/<name>.js by codegen/emit/script-emitter.ts.
// The mapping follows Auth0's "Migrate from Rules to Actions" guide and the post-login event object reference.

// The Rules globals the Action hands to the rule function, after (user, context, callback), in this order.
// codegen/emit/script-emitter.ts reads this list to print the rule function's parameters.
var RULE_GLOBALS = ["configuration", "auth0", "UnauthorizedError", "global"];

// Rules' `global`: an object that lives as long as the Action's container (module-level code runs once per container).
var actionGlobal = {};

// The Management API token a rule reads as `auth0.accessToken` is obtained with the client-credentials grant from these
// Action secrets (the route of Auth0's migration guide: an M2M application's credentials in the Action's secrets).
var MANAGEMENT_SECRETS = { domain: "AUTH0_DOMAIN", clientId: "AUTH0_CLIENT_ID", clientSecret: "AUTH0_CLIENT_SECRET" };
var MANAGEMENT_TOKEN_CACHE_KEY = "rules-adapter:management-api-token";
// A cached token is used only while it has at least this long left.
var MANAGEMENT_TOKEN_MARGIN_MS = 60 * 1000;

// Rules `context.samlConfiguration.<key>` → Actions `api.samlResponse.<setter>` (post-login API object reference).
var SAML_SETTERS = {
  audience: "setAudience",
  recipient: "setRecipient",
  destination: "setDestination",
  createUpnClaim: "setCreateUpnClaim",
  passthroughClaimsWithNoMapping: "setPassthroughClaimsWithNoMapping",
  mapUnknownClaimsAsIs: "setMapUnknownClaimsAsIs",
  mapIdentities: "setMapIdentities",
  signatureAlgorithm: "setSignatureAlgorithm",
  digestAlgorithm: "setDigestAlgorithm",
  lifetimeInSeconds: "setLifetimeInSeconds",
  signResponse: "setSignResponse",
  nameIdentifierFormat: "setNameIdentifierFormat",
  nameIdentifierProbes: "setNameIdentifierProbes",
  authnContextClassRef: "setAuthnContextClassRef",
  typedAttributes: "setTypedAttributes",
  includeAttributeNameFormat: "setIncludeAttributeNameFormat",
  signingCert: "setSigningCert",
  encryptionPublicKey: "setEncryptionPublicKey",
  encryptionCert: "setEncryptionCert",
  cert: "setCert",
  key: "setKey",
};

// onExecutePostLogin: run the rule once for this login.
function runRuleAsAction(rule, event, api) {
  return runRule(rule, event, api, false);
}

// onContinuePostLogin: the user came back from `context.redirect`. Auth0 Rules run the rule again with
// `context.protocol === "redirect-callback"` (the query/body of the /continue request in context.request).
function continueRuleAsAction(rule, event, api) {
  return runRule(rule, event, api, true);
}

function runRule(rule, event, api, resumed) {
  // The rule starts synchronously, as in Rules, unless it reads auth0.accessToken and no token is cached: a Rules
  // token is a plain string, so it is fetched before the rule starts. A fetch that cannot be made (secrets missing)
  // or is refused (the M2M application's credentials or scopes) is not an error of the login: it is thrown where the
  // rule reads auth0.accessToken, on that path only. A fetch that fails because Auth0 cannot be reached or answers
  // 5xx/429 is an outage a Rule never meets at its token (Auth0 hands it one), only at its own Management API call:
  // the token is then empty (logged), so the rule's own call meets the outage and its own error path decides, as in
  // Rules (link-users-by-email: its request fails, callback(error), the login is denied).
  var token = cachedManagementToken(api);
  if (token || !usesManagementToken(rule)) return startRule(rule, event, api, resumed, { token: token });
  var missing = missingManagementSecrets(event.secrets || {});
  if (missing.length) {
    return startRule(rule, event, api, resumed, {
      error: new Error(
        "The rule reads auth0.accessToken; an Action gets a Management API token with the client-credentials grant of an M2M application: add the Action secrets " +
          missing.join(", ") +
          " (the application needs the read:users and update:users scopes a rule's token had)",
      ),
    });
  }
  return managementToken(event, api).then(
    function (value) {
      return startRule(rule, event, api, resumed, { token: value });
    },
    function (error) {
      if (!error.outage) return startRule(rule, event, api, resumed, { error: error });
      console.error(error.message + ": auth0.accessToken is empty on this login; the rule's own Management API calls meet the outage");
      return startRule(rule, event, api, resumed, { token: "" });
    },
  );
}

// Runs the rule function now (inside the Promise executor, so synchronously for the caller) and settles when it
// calls back. An async rule's promise is ignored, as Rules ignore it, except a rejection before the callback: in
// Rules that is an unhandled rejection that fails the login, here it fails the Action the same way.
function startRule(rule, event, api, resumed, management) {
  return new Promise(function (resolve, reject) {
    var user = userFromEvent(event);
    var context = contextFromEvent(event, resumed);
    // Bridge for the analytics rules (rules-src/lib/shared-state.ts): they keep the login's time budget and their
    // circuit breakers in api.cache, which the Actions of one trigger share. Not enumerable: the context a rule
    // sees is otherwise the one Rules give it.
    if (api.cache) {
      Object.defineProperty(context, "actionsCache", { value: { cache: api.cache, transactionId: event.transaction && event.transaction.id } });
    }
    var globals = {
      configuration: Object.freeze(Object.assign({}, event.secrets)),
      auth0: auth0Facade(event, api, management),
      UnauthorizedError: UnauthorizedError,
      global: actionGlobal,
    };
    var settled = false;
    function callback(error, resultUser, resultContext) {
      if (settled) return;
      settled = true;
      if (error) {
        // Actions can only deny access: an UnauthorizedError and any other error both deny, with the error's message.
        api.access.deny(error.message || String(error));
        resolve();
        return;
      }
      try {
        applyContext(resultContext || context, resultUser || user, event, api);
        resolve();
      } catch (applyError) {
        reject(applyError);
      }
    }
    var returned;
    try {
      returned = rule.apply(
        null,
        [user, context, callback].concat(
          RULE_GLOBALS.map(function (name) {
            return globals[name];
          }),
        ),
      );
    } catch (error) {
      settled = true;
      reject(error);
      return;
    }
    if (returned && typeof returned.then === "function") {
      returned.then(undefined, function (error) {
        if (settled) return;
        settled = true;
        reject(error);
      });
    }
  });
}

function UnauthorizedError(message) {
  var error = new Error(message);
  error.name = "UnauthorizedError";
  return error;
}

// Rules' `auth0`: users.updateAppMetadata/updateUserMetadata, accessToken (a Management API token), domain (the
// tenant's domain) and baseUrl (the Management API v2 root, "https://<domain>/api/v2": the gallery builds
// `auth0.baseUrl + '/users/' + id` from it). Getters, so a rule that never reads them never needs the secrets.
function auth0Facade(event, api, management) {
  var domain = (event.secrets || {})[MANAGEMENT_SECRETS.domain];
  function needDomain(name) {
    if (!domain) throw new Error("The rule reads auth0." + name + ": add the Action secret " + MANAGEMENT_SECRETS.domain + " (the tenant's domain, e.g. example.eu.auth0.com)");
    return domain;
  }
  var facade = {
    users: {
      // A rule persists metadata with a Management API PATCH (top-level keys merged);
      // an Action sets the same keys, and Auth0 writes them once when the flow ends.
      updateAppMetadata: function (userId, metadata) {
        Object.keys(metadata || {}).forEach(function (key) {
          api.user.setAppMetadata(key, metadata[key]);
        });
        return Promise.resolve();
      },
      updateUserMetadata: function (userId, metadata) {
        Object.keys(metadata || {}).forEach(function (key) {
          api.user.setUserMetadata(key, metadata[key]);
        });
        return Promise.resolve();
      },
    },
  };
  Object.defineProperty(facade, "accessToken", {
    enumerable: true,
    get: function () {
      if (management.error) throw management.error;
      return management.token;
    },
  });
  Object.defineProperty(facade, "domain", {
    enumerable: true,
    get: function () {
      return needDomain("domain");
    },
  });
  Object.defineProperty(facade, "baseUrl", {
    enumerable: true,
    get: function () {
      return "https://" + needDomain("baseUrl") + "/api/v2";
    },
  });
  return facade;
}

// Whether the rule reads auth0.accessToken (checked once per container, on the rule's own source).
function usesManagementToken(rule) {
  if (rule.usesManagementToken === undefined) rule.usesManagementToken = /\bauth0\s*\.\s*accessToken\b/.test(String(rule));
  return rule.usesManagementToken;
}

// A token cached in api.cache for the trigger with at least MANAGEMENT_TOKEN_MARGIN_MS left, else undefined.
function cachedManagementToken(api) {
  var cached = api.cache && api.cache.get(MANAGEMENT_TOKEN_CACHE_KEY);
  if (cached && typeof cached.value === "string" && (!cached.expires_at || cached.expires_at - Date.now() > MANAGEMENT_TOKEN_MARGIN_MS)) return cached.value;
  return undefined;
}

function missingManagementSecrets(secrets) {
  return Object.keys(MANAGEMENT_SECRETS)
    .map(function (k) {
      return MANAGEMENT_SECRETS[k];
    })
    .filter(function (name) {
      return !secrets[name];
    });
}

// A Management API token from the client-credentials grant, cached in api.cache for the trigger (best effort: a miss
// asks again). Rejects with a clear message when Auth0 refuses the grant or cannot be reached.
function managementToken(event, api) {
  var secrets = event.secrets || {};
  var domain = secrets[MANAGEMENT_SECRETS.domain];
  return new Promise(function (resolve, reject) {
    actionRequest(
      {
        method: "POST",
        url: "https://" + domain + "/oauth/token",
        json: {
          grant_type: "client_credentials",
          client_id: secrets[MANAGEMENT_SECRETS.clientId],
          client_secret: secrets[MANAGEMENT_SECRETS.clientSecret],
          audience: "https://" + domain + "/api/v2/",
        },
        timeout: 5000,
      },
      function (error, response, body) {
        // Unreachable, timed out, 5xx or 429: an outage (see runRule); any other answer: the grant is refused.
        if (error) return reject(outage(new Error("Management API token request to " + domain + " failed: " + error.message)));
        if (response.statusCode !== 200 || !body || typeof body.access_token !== "string") {
          var refused = new Error("Management API token request to " + domain + " answered " + response.statusCode + " without an access_token");
          return reject(response.statusCode >= 500 || response.statusCode === 429 ? outage(refused) : refused);
        }
        var expiresAt = Date.now() + (Number(body.expires_in) || 86400) * 1000;
        if (api.cache) api.cache.set(MANAGEMENT_TOKEN_CACHE_KEY, body.access_token, { expires_at: expiresAt });
        resolve(body.access_token);
      },
    );
  });
}

function outage(error) {
  error.outage = true;
  return error;
}

function userFromEvent(event) {
  var u = event.user || {};
  var methods = (event.authentication && event.authentication.methods) || [];
  var lastLogin = methods.reduce(function (latest, m) {
    return m && m.timestamp && (!latest || m.timestamp > latest) ? m.timestamp : latest;
  }, undefined);
  var user = JSON.parse(JSON.stringify(u));
  // An Action's event.user always has both metadata objects; in Rules a user without metadata has none ("could be
  // undefined in Rules", migration guide), so an empty one is left out, as the Rules user would not have it.
  ["app_metadata", "user_metadata"].forEach(function (key) {
    if (!u[key] || Object.keys(u[key]).length === 0) delete user[key];
  });
  if (event.stats && typeof event.stats.logins_count === "number") user.logins_count = event.stats.logins_count;
  if (lastLogin !== undefined) user.last_login = typeof lastLogin === "number" ? new Date(lastLogin).toISOString() : lastLogin;
  return user;
}

function contextFromEvent(event, resumed) {
  var req = event.request || {};
  var geo = req.geoip;
  var transaction = event.transaction || {};
  var authentication = event.authentication;
  return {
    tenant: event.tenant && event.tenant.id,
    clientID: event.client && event.client.client_id,
    clientName: event.client && event.client.name,
    clientMetadata: event.client && event.client.metadata,
    connectionID: event.connection && event.connection.id,
    connection: event.connection && event.connection.name,
    connectionStrategy: event.connection && event.connection.strategy,
    connectionMetadata: event.connection && event.connection.metadata,
    protocol: resumed ? "redirect-callback" : transaction.protocol,
    stats: { loginsCount: event.stats && event.stats.logins_count },
    sessionID: event.session && event.session.id,
    sso: {
      current_clients: ((event.session && event.session.clients) || []).map(function (c) {
        return c.client_id;
      }),
    },
    request: {
      ip: req.ip,
      userAgent: req.user_agent,
      hostname: req.hostname,
      query: req.query,
      body: req.body,
      geoip: geo && {
        country_code: geo.countryCode,
        country_code3: geo.countryCode3,
        country_name: geo.countryName,
        city_name: geo.cityName,
        latitude: geo.latitude,
        longitude: geo.longitude,
        time_zone: geo.timeZone,
        continent_code: geo.continentCode,
        subdivision_code: geo.subdivisionCode,
        subdivision_name: geo.subdivisionName,
      },
    },
    // Rules give each method's timestamp in epoch milliseconds; the event gives ISO 8601 text.
    authentication: authentication && {
      methods: (authentication.methods || []).map(function (m) {
        return { name: m.name, timestamp: typeof m.timestamp === "string" ? Date.parse(m.timestamp) : m.timestamp };
      }),
    },
    riskAssessment: authentication && authentication.riskAssessment,
    authorization: event.authorization,
    organization: event.organization,
    // Rules: the SAML addon settings a rule may override; an Action cannot read them, so a rule starts from {}.
    samlConfiguration: {},
    accessToken: {},
    idToken: {},
  };
}

// What a rule left on the context becomes the Action API calls the migration guide maps it to.
function applyContext(context, user, event, api) {
  Object.keys(context.idToken || {}).forEach(function (claim) {
    api.idToken.setCustomClaim(claim, context.idToken[claim]);
  });
  var accessToken = context.accessToken || {};
  Object.keys(accessToken).forEach(function (claim) {
    if (claim !== "scope") api.accessToken.setCustomClaim(claim, accessToken[claim]);
  });
  applyScopes(accessToken.scope, (event.transaction && event.transaction.requested_scopes) || [], api);
  applyMultifactor(context.multifactor, api);
  applySaml(context.samlConfiguration, user, api);
  if (context.primaryUser) api.authentication.setPrimaryUser(context.primaryUser);
  if (context.redirect && context.redirect.url) api.redirect.sendUserTo(context.redirect.url);
}

// Rules set the access token's scopes as `context.accessToken.scope` (an array or a space-separated string); an Action
// adds and removes scopes relative to the requested ones.
function applyScopes(scope, requested, api) {
  if (scope === undefined) return;
  var wanted = Array.isArray(scope) ? scope.map(String) : String(scope).split(/\s+/).filter(Boolean);
  wanted.forEach(function (s) {
    if (requested.indexOf(s) < 0) api.accessToken.addScope(s);
  });
  requested.forEach(function (s) {
    if (wanted.indexOf(s) < 0) api.accessToken.removeScope(s);
  });
}

// `context.multifactor = {provider, allowRememberBrowser, ...provider settings}` → api.multifactor.enable(provider, options);
// Duo's settings (host, ikey, skey, username) become providerOptions.
function applyMultifactor(multifactor, api) {
  if (!multifactor || !multifactor.provider) return;
  var options = { allowRememberBrowser: !!multifactor.allowRememberBrowser };
  var providerOptions = {};
  Object.keys(multifactor).forEach(function (key) {
    if (key !== "provider" && key !== "allowRememberBrowser") providerOptions[key] = multifactor[key];
  });
  if (Object.keys(providerOptions).length) options.providerOptions = providerOptions;
  api.multifactor.enable(multifactor.provider, options);
}

// `context.samlConfiguration` settings → api.samlResponse setters; `mappings` (SAML attribute → user profile property,
// dotted paths allowed) → api.samlResponse.setAttribute(attribute, value of that property).
function applySaml(saml, user, api) {
  if (!saml) return;
  Object.keys(saml).forEach(function (key) {
    if (key === "mappings") {
      var mappings = saml.mappings || {};
      Object.keys(mappings).forEach(function (attribute) {
        var value = String(mappings[attribute])
          .split(".")
          .reduce(function (v, part) {
            return v === undefined || v === null ? undefined : v[part];
          }, user);
        if (value !== undefined) api.samlResponse.setAttribute(attribute, value);
      });
      return;
    }
    var setter = SAML_SETTERS[key];
    if (!setter) throw new Error("context.samlConfiguration." + key + " has no counterpart in Actions' api.samlResponse");
    if (saml[key] !== undefined) api.samlResponse[setter](saml[key]);
  });
}

// A small HTTP client on Node's http/https (url/uri, method, headers, qs, body, json, auth, timeout, strictSSL): the
// adapter's own requests (the Management API token). Rules get the request module itself as an Action dependency.
function actionRequest(options, callback) {
  var http = require("http");
  var https = require("https");
  var opts = typeof options === "string" ? { url: options } : options;
  var url = new URL(String(opts.url || opts.uri).trim());
  Object.keys(opts.qs || {}).forEach(function (key) {
    url.searchParams.append(key, String(opts.qs[key]));
  });
  var headers = {};
  Object.keys(opts.headers || {}).forEach(function (key) {
    headers[key.toLowerCase()] = opts.headers[key];
  });
  var body = opts.body;
  if (opts.json !== undefined && typeof opts.json !== "boolean") {
    body = JSON.stringify(opts.json);
    if (!headers["content-type"]) headers["content-type"] = "application/json";
  }
  if (opts.json !== undefined && !headers.accept) headers.accept = "application/json";
  if (opts.auth) {
    var name = opts.auth.user !== undefined ? opts.auth.user : opts.auth.username;
    var pass = opts.auth.pass !== undefined ? opts.auth.pass : opts.auth.password;
    headers.authorization = "Basic " + Buffer.from(String(name || "") + ":" + String(pass || "")).toString("base64");
  }
  if (body !== undefined) headers["content-length"] = Buffer.byteLength(body);
  var done = false;
  function finish(error, response, responseBody) {
    if (done) return;
    done = true;
    callback(error, response, responseBody);
  }
  var transport = url.protocol === "https:" ? https : http;
  var req = transport.request(
    url,
    { method: (opts.method || "GET").toUpperCase(), headers: headers, rejectUnauthorized: opts.strictSSL !== false },
    function (res) {
      var chunks = [];
      res.on("data", function (chunk) {
        chunks.push(chunk);
      });
      res.on("error", function (error) {
        finish(error);
      });
      res.on("end", function () {
        var text = Buffer.concat(chunks).toString("utf8");
        var parsed = text;
        if (opts.json !== undefined) {
          try {
            parsed = JSON.parse(text);
          } catch (e) {
            parsed = text;
          }
        }
        finish(null, { statusCode: res.statusCode, headers: res.headers, body: parsed }, parsed);
      });
    },
  );
  if (opts.timeout) {
    req.setTimeout(opts.timeout, function () {
      var error = new Error("ESOCKETTIMEDOUT");
      error.code = "ESOCKETTIMEDOUT";
      req.destroy(error);
    });
  }
  req.on("error", function (error) {
    finish(error);
  });
  if (body !== undefined) req.write(body);
  req.end();
}
actionRequest.get = function (options, callback) {
  return actionRequest(Object.assign({}, options, { method: "GET" }), callback);
};
actionRequest.post = function (options, callback) {
  return actionRequest(Object.assign({}, options, { method: "POST" }), callback);
};

module.exports = { RULE_GLOBALS, MANAGEMENT_SECRETS, runRuleAsAction, continueRuleAsAction, actionRequest, userFromEvent, contextFromEvent };
