// The reader's own history: every analysed article they opened, kept in storage.local on this
// device only (never sent anywhere), bounded, with the aggregates the history page draws and
// the CSV/JSON it exports. Pure functions; the worker and the history page do the storing.
// A classic script (content scripts cannot be ES modules) that registers on the
// globalThis.credlens namespace; workers, pages and tests import it for that side effect.
(() => {
  "use strict";
  const ns = (globalThis.credlens ??= {});

  /** storage.local key of the list (oldest first). */
  const KEY = "history";
  /** Entries kept at most; the oldest go first. About 300 bytes each: 1,000 is ~300 KB,
   * far below storage.local's quota, and years of reading for most readers. */
  const LIMIT = 1000;
  const SCORES = Object.freeze(["objectivity", "accuracy", "transparency", "average"]);

  function siteOf(url) {
    try {
      return new URL(url).hostname.replace(/^www\./, "");
    } catch {
      return "";
    }
  }

  function score(value) {
    const n = Number(value);
    return Number.isFinite(n) ? Math.round(Math.min(10, Math.max(0, n)) * 10) / 10 : null;
  }

  /** One entry from a successful analysis of `url`, read at `when` (a Date). */
  function entryFrom(url, analysis, when = new Date()) {
    const scores = (analysis && analysis.scores) || {};
    const entry = {
      date: when.toISOString(),
      url: String(url).slice(0, 2048),
      site: siteOf(url),
      title: String((analysis && analysis.title) || "").slice(0, 300),
    };
    for (const key of SCORES) entry[key] = score(scores[key]);
    return entry;
  }

  /** The list with `entry` added: a page read again replaces its older entry; beyond
   * `limit` the oldest entries are dropped. Returns a new array. */
  function add(list, entry, limit = LIMIT) {
    const kept = (Array.isArray(list) ? list : []).filter((e) => e && e.url !== entry.url);
    kept.push(entry);
    return kept.slice(Math.max(0, kept.length - limit));
  }

  /** Monday (UTC) of the ISO week of an ISO date-time, as YYYY-MM-DD. */
  function weekOf(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return "";
    const day = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
    return monday.toISOString().slice(0, 10);
  }

  /** Mean scores per week or per site: [{key, n, objectivity, accuracy, transparency,
   * average}], weeks in time order, sites by how many articles were read there. */
  function aggregate(list, by) {
    const groups = new Map();
    for (const e of list) {
      const key = by === "week" ? weekOf(e.date) : e.site;
      if (!key) continue;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(e);
    }
    const rows = [...groups].map(([key, entries]) => {
      const row = { key, n: entries.length };
      for (const s of SCORES) {
        const values = entries.map((e) => e[s]).filter((v) => typeof v === "number");
        row[s] = values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null;
      }
      return row;
    });
    return by === "week"
      ? rows.sort((a, b) => a.key.localeCompare(b.key))
      : rows.sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
  }

  const COLUMNS = Object.freeze(["date", "site", "title", "url", ...SCORES]);

  /** One CSV field: quoted, quotes doubled, and a leading = + - @ defused so a spreadsheet
   * never runs a title as a formula. */
  function csvField(value) {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return `"${text.replace(/"/g, '""')}"`;
  }

  function toCSV(list) {
    const lines = [COLUMNS.join(",")];
    for (const e of list) lines.push(COLUMNS.map((c) => csvField(e[c])).join(","));
    return `${lines.join("\r\n")}\r\n`;
  }

  function toJSON(list) {
    return `${JSON.stringify(list.map((e) => Object.fromEntries(COLUMNS.map((c) => [c, e[c] ?? null]))), null, 2)}\n`;
  }

  ns.history = Object.freeze({
    KEY, LIMIT, SCORES, COLUMNS, entryFrom, add, weekOf, aggregate, toCSV, toJSON, siteOf,
  });
})();
