// Service worker: wires browser events to the small modules beside it.

import "../shared/history.js";
import "../shared/messages.js";
import "../shared/sites.js";
import { analyze } from "./api.js";
import { CONTENT_SCRIPTS, syncRegistration } from "./registration.js";
import { loadSettings } from "./settings.js";

const { DISABLE_SITE, OPEN_HISTORY, STATES, isAnalyzeMessage, resultMessage } =
  globalThis.credlens.messages;
const history = globalThis.credlens.history;
const { isAllowed, siteOf } = globalThis.credlens.sites;

// The browser namespace: `browser` in Firefox, `chrome` in Chromium (the one seam tests swap).
const ext = globalThis.browser ?? globalThis.chrome;

async function resync() {
  try {
    await syncRegistration(ext, await loadSettings(ext.storage.sync));
  } catch (err) {
    console.error("credlens: could not register the content script", err);
  }
}

ext.runtime.onInstalled.addListener(resync);
ext.runtime.onStartup.addListener(resync);
ext.storage.onChanged.addListener((_changes, area) => {
  if (area === "sync") resync();
});
ext.permissions.onAdded.addListener(resync);
ext.permissions.onRemoved.addListener(resync);

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message && message.type === DISABLE_SITE && sender.tab) {
    disableSite(sender.tab.url).then(() => sendResponse({ ok: true }));
    return true;
  }
  if (message && message.type === OPEN_HISTORY) {
    ext.tabs.create({ url: ext.runtime.getURL("history/history.html") });
    return false;
  }
  if (!isAnalyzeMessage(message)) return false;
  handleAnalyze(message).then(sendResponse);
  return true; // the answer comes asynchronously
});

async function handleAnalyze(message) {
  const settings = await loadSettings(ext.storage.sync);
  // The worker is the gate: a site turned off sends nothing, whoever asks.
  if (!isAllowed(message.url, settings.disabledSites)) {
    return resultMessage(STATES.error, { error: "site_off", detail: "credlens is off for this site" });
  }
  // The API's base goes with the result: the panel links to its model card.
  const result = { ...(await analyze(settings, message.url, message.html)), apiBase: settings.apiBase };
  if (result.state === STATES.done && settings.history) await remember(message.url, result.analysis);
  return result;
}

/** The reader's history, on this device only (storage.local), bounded by history.LIMIT.
 * Writes are chained: two tabs finishing together must not lose one another's entry. */
let writes = Promise.resolve();
function remember(url, analysis) {
  writes = writes.then(() => store(url, analysis));
  return writes;
}

async function store(url, analysis) {
  try {
    const stored = await ext.storage.local.get({ [history.KEY]: [] });
    const list = history.add(stored[history.KEY], history.entryFrom(url, analysis));
    await ext.storage.local.set({ [history.KEY]: list });
  } catch (err) {
    console.error("credlens: could not keep the history entry", err);
  }
}

async function disableSite(url) {
  const site = siteOf(url);
  if (!site) return;
  const settings = await loadSettings(ext.storage.sync);
  if (!settings.disabledSites.includes(site)) {
    await ext.storage.sync.set({ disabledSites: [...settings.disabledSites, site] });
  }
}

// Click mode (and a manual run in auto mode): activeTab grants this tab for this click.
ext.action.onClicked.addListener(async (tab) => {
  const settings = await loadSettings(ext.storage.sync);
  if (!tab.id || !isAllowed(tab.url, settings.disabledSites)) {
    await ext.action.setBadgeText({ tabId: tab.id, text: "off" });
    return;
  }
  // The flag tells the content script that the reader asked: analyse even if the page does
  // not declare itself an article.
  await ext.scripting.executeScript({
    target: { tabId: tab.id },
    func: () => {
      window.__credlensForce = true;
    },
  });
  await ext.scripting.executeScript({ target: { tabId: tab.id }, files: [...CONTENT_SCRIPTS] });
});
