// Automatic mode: the content script is registered for the origins the reader granted, minus
// the sites turned off. Click mode registers nothing (the script is injected on click).

import "../shared/sites.js";

const { siteOf } = globalThis.credlens.sites;

export const SCRIPT_ID = "credlens-auto";
/** The content scripts, in load order: each registers on globalThis.credlens, main.js runs. */
export const CONTENT_SCRIPTS = Object.freeze([
  "shared/messages.js",
  "shared/scores.js",
  "shared/article.js",
  "content/highlight.js",
  "content/overlay.js",
  "content/main.js",
]);
const WEB = /^(https?|\*):\/\//;

/** Match patterns that exclude the disabled sites and their subdomains. */
export function excludePatterns(disabledSites) {
  return disabledSites.flatMap((site) => [`*://${site}/*`, `*://*.${site}/*`]);
}

/** Web origins among the granted ones (pure; unit-tested). */
export function webOrigins(origins) {
  return (origins || []).filter((o) => WEB.test(o));
}

export function scriptFor(settings, origins) {
  const matches = webOrigins(origins);
  if (settings.mode !== "auto" || matches.length === 0) return null;
  return {
    id: SCRIPT_ID,
    js: [...CONTENT_SCRIPTS],
    matches,
    excludeMatches: excludePatterns(settings.disabledSites.filter((s) => siteOf(`https://${s}/`))),
    runAt: "document_idle",
    persistAcrossSessions: true,
  };
}

/** Make the registered script match the settings (idempotent). */
export async function syncRegistration(browser, settings) {
  const origins = (await browser.permissions.getAll()).origins || [];
  const wanted = scriptFor(settings, origins);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (wanted) await browser.scripting.registerContentScripts([wanted]);
  return wanted;
}
