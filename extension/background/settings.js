// Settings live in storage.sync: the options page passes DEFAULTS straight to `get`, so a
// missing key always reads as its default.

export const DEFAULTS = Object.freeze({
  apiBase: "http://127.0.0.1:8000",
  apiKey: "",
  /** "click": nothing is sent until the reader clicks the toolbar button; "auto": article
   * pages on sites the reader granted are analysed as they load. */
  mode: "click",
  /** Sites (host names) the reader turned off: nothing is ever sent for them. */
  disabledSites: [],
  /** Keep the reader's own history of analysed articles in storage.local (never sent). */
  history: true,
});

export const MODES = Object.freeze(["click", "auto"]);

/** Settings with defaults filled in and bad values replaced by defaults. */
export function normalize(raw) {
  const s = { ...DEFAULTS, ...(raw || {}) };
  let apiBase = String(s.apiBase || DEFAULTS.apiBase).trim().replace(/\/+$/, "");
  try {
    const u = new URL(apiBase);
    if (u.protocol !== "http:" && u.protocol !== "https:") apiBase = DEFAULTS.apiBase;
  } catch {
    apiBase = DEFAULTS.apiBase;
  }
  return {
    apiBase,
    apiKey: String(s.apiKey || ""),
    mode: MODES.includes(s.mode) ? s.mode : DEFAULTS.mode,
    disabledSites: Array.isArray(s.disabledSites) ? s.disabledSites.map(String) : [],
    history: s.history !== false,
  };
}

export async function loadSettings(storage) {
  return normalize(await storage.get(DEFAULTS));
}
