// Per-site switches: the reader turns credlens off for a site by its host name.
// A classic script (content scripts cannot be ES modules) that registers on the
// globalThis.credlens namespace; workers and tests import it for that side effect.
(() => {
  "use strict";
  const ns = (globalThis.credlens ??= {});

  /** Host name of a URL, lower-case, without a leading "www."; `null` for non-web URLs. */
  function siteOf(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return parsed.hostname.toLowerCase().replace(/^www\./, "");
  }

  /** Whether credlens may send this page: web pages only, and not on a site turned off. */
  function isAllowed(url, disabledSites) {
    const site = siteOf(url);
    if (site === null) return false;
    return !(disabledSites || []).some((s) => site === s || site.endsWith(`.${s}`));
  }

  /** Parse the options page's textarea: one site per line, blank lines and duplicates dropped. */
  function parseSiteList(text) {
    const out = [];
    for (const line of String(text).split(/\r?\n/)) {
      const raw = line.trim().toLowerCase();
      if (!raw) continue;
      const site = raw.includes("://") ? siteOf(raw) : raw.replace(/^www\./, "").replace(/\/.*$/, "");
      if (site && !out.includes(site)) out.push(site);
    }
    return out;
  }

  ns.sites = Object.freeze({ siteOf, isAllowed, parseSiteList });
})();
