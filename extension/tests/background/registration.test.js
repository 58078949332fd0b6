import assert from "node:assert/strict";
import { test } from "node:test";
import { SCRIPT_ID, excludePatterns, scriptFor, syncRegistration, webOrigins } from "../../background/registration.js";

const auto = { mode: "auto", disabledSites: ["example.com"] };

test("automatic mode registers for granted web origins minus disabled sites", () => {
  const script = scriptFor(auto, ["http://127.0.0.1/*", "chrome://x/*", "https://*/*"]);
  assert.deepEqual(script.matches, ["http://127.0.0.1/*", "https://*/*"]);
  assert.deepEqual(script.excludeMatches, ["*://example.com/*", "*://*.example.com/*"]);
  assert.equal(script.id, SCRIPT_ID);
});

test("click mode registers nothing", () => {
  assert.equal(scriptFor({ ...auto, mode: "click" }, ["https://*/*"]), null);
  assert.equal(scriptFor(auto, []), null);
  assert.deepEqual(webOrigins(["file:///*", "http://a.org/*"]), ["http://a.org/*"]);
  assert.deepEqual(excludePatterns([]), []);
});

test("sync replaces the registration", async () => {
  const calls = [];
  const browser = {
    permissions: { getAll: async () => ({ origins: ["http://127.0.0.1/*"] }) },
    scripting: {
      getRegisteredContentScripts: async () => [{ id: SCRIPT_ID }],
      unregisterContentScripts: async (arg) => calls.push(["unregister", arg.ids]),
      registerContentScripts: async (arg) => calls.push(["register", arg[0].matches]),
    },
  };
  await syncRegistration(browser, auto);
  assert.deepEqual(calls, [["unregister", [SCRIPT_ID]], ["register", ["http://127.0.0.1/*"]]]);
});
