// Rules-to-Actions adapter: runs a compiled Auth0 rule inside a post-login Action.
// This file is inlined (without its last line) into every generated/actions/<name>.js by codegen/action-emitter.ts.
// The mapping follows Auth0's "Migrate from Rules to Actions" guide and the post-login event object reference.

function runRuleAsAction(rule, event, api) {
  return new Promise(function (resolve, reject) {
    var user = userFromEvent(event);
    var context = contextFromEvent(event);
    var configuration = Object.freeze(Object.assign({}, event.secrets));
    var auth0 = {
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
    var settled = false;
    function callback(error, resultUser, resultContext) {
      if (settled) return;
      settled = true;
      if (error) {
        api.access.deny(error.message || String(error));
        resolve();
        return;
      }
      applyContext(resultContext || context, api);
      resolve();
    }
    try {
      rule(user, context, callback, configuration, auth0, UnauthorizedError);
    } catch (error) {
      settled = true;
      reject(error);
    }
  });
}

function UnauthorizedError(message) {
  var error = new Error(message);
  error.name = "UnauthorizedError";
  return error;
}

function userFromEvent(event) {
  var u = event.user || {};
  var methods = (event.authentication && event.authentication.methods) || [];
  var lastLogin = methods.reduce(function (latest, m) {
    return m && m.timestamp && (!latest || m.timestamp > latest) ? m.timestamp : latest;
  }, undefined);
  var user = JSON.parse(JSON.stringify(u));
  user.app_metadata = Object.assign({}, u.app_metadata);
  user.user_metadata = Object.assign({}, u.user_metadata);
  if (event.stats && typeof event.stats.logins_count === "number") user.logins_count = event.stats.logins_count;
  if (lastLogin !== undefined) user.last_login = typeof lastLogin === "number" ? new Date(lastLogin).toISOString() : lastLogin;
  return user;
}

function contextFromEvent(event) {
  var req = event.request || {};
  var geo = req.geoip;
  return {
    tenant: event.tenant && event.tenant.id,
    clientID: event.client && event.client.client_id,
    clientName: event.client && event.client.name,
    clientMetadata: event.client && event.client.metadata,
    connectionID: event.connection && event.connection.id,
    connection: event.connection && event.connection.name,
    connectionStrategy: event.connection && event.connection.strategy,
    connectionMetadata: event.connection && event.connection.metadata,
    protocol: event.transaction && event.transaction.protocol,
    stats: { loginsCount: event.stats && event.stats.logins_count },
    sessionID: event.session && event.session.id,
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
    authentication: event.authentication,
    authorization: event.authorization,
    organization: event.organization,
    accessToken: {},
    idToken: {},
  };
}

// Claims and MFA a rule sets on the context become the Action API calls the migration guide maps them to.
function applyContext(context, api) {
  Object.keys(context.idToken || {}).forEach(function (claim) {
    api.idToken.setCustomClaim(claim, context.idToken[claim]);
  });
  Object.keys(context.accessToken || {}).forEach(function (claim) {
    api.accessToken.setCustomClaim(claim, context.accessToken[claim]);
  });
  if (context.multifactor && context.multifactor.provider) {
    api.multifactor.enable(context.multifactor.provider, { allowRememberBrowser: !!context.multifactor.allowRememberBrowser });
  }
}

// The part of the `request` module rules use (url/uri, method, headers, qs, body, json, auth, timeout, strictSSL),
// on Node's http/https, so the Action needs no deprecated dependency.
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

module.exports = { runRuleAsAction, actionRequest, userFromEvent, contextFromEvent };
