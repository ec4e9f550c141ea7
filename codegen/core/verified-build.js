// A folder of code built by this repository's tools into .cache/ (the compiler's own JavaScript build, the native
// TypeScript API client's CommonJS build) is code a process runs, so it is run only when verified: the build writes,
// last, a manifest of the SHA-256 of every file it wrote and of what it was built from; before use, every file of the
// folder is hashed and compared with it (a file changed, missing or added, symbolic links, a manifest missing or for
// other sources: not verified, and the folder is built again). Plain JavaScript: codegen/bin.js uses it before any
// TypeScript is loaded.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const MANIFEST = "build-manifest.json";
const sha256 = (data) => crypto.createHash("sha256").update(data).digest("hex");

/** Every file below dir (relative, forward slashes); symbolic links count as files, so that they fail verification. */
function listFiles(dir, sub = "") {
  return fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).flatMap((e) => {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

/** Writes dir's manifest: the hash of every file in it, and of the sources it was built from. Call it last. */
function writeManifest(dir, sourcesHash) {
  const files = {};
  for (const f of listFiles(dir)) if (f !== MANIFEST) files[f] = sha256(fs.readFileSync(path.join(dir, f)));
  fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify({ sources: sourcesHash, files }));
}

/** Whether dir holds exactly the files its manifest lists, with those contents, built from these sources, `required` among them. */
function verified(dir, sourcesHash, required) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), "utf8"));
  } catch {
    return false;
  }
  if (!manifest || manifest.sources !== sourcesHash || typeof manifest.files !== "object" || !manifest.files) return false;
  const present = listFiles(dir).filter((f) => f !== MANIFEST);
  const listed = Object.keys(manifest.files);
  if (present.length !== listed.length || !required.every((f) => listed.includes(f))) return false;
  for (const f of present) {
    if (!Object.prototype.hasOwnProperty.call(manifest.files, f)) return false;
    const file = path.join(dir, f);
    if (!fs.lstatSync(file).isFile() || sha256(fs.readFileSync(file)) !== manifest.files[f]) return false;
  }
  return true;
}

module.exports = { MANIFEST, sha256, listFiles, writeManifest, verified };
