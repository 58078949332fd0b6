import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULTS, loadSettings, normalize } from "../../background/settings.js";

test("defaults fill missing keys", () => {
  assert.deepEqual(normalize({}), { ...DEFAULTS, disabledSites: [] });
});

test("bad values fall back to defaults", () => {
  const s = normalize({ apiBase: "javascript:alert(1)", mode: "always", disabledSites: "x" });
  assert.equal(s.apiBase, DEFAULTS.apiBase);
  assert.equal(s.mode, "click");
  assert.deepEqual(s.disabledSites, []);
  assert.equal(normalize({ apiBase: "https://cl.example.org/// " }).apiBase, "https://cl.example.org");
});

test("settings are read from storage with their defaults", async () => {
  const storage = { get: async (defaults) => ({ ...defaults, mode: "auto" }) };
  assert.equal((await loadSettings(storage)).mode, "auto");
});
