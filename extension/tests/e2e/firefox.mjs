// End to end in Debian's Firefox ESR, headless, over WebDriver BiDi (puppeteer-core): the
// packaged add-on installed as a temporary add-on, against the real credlens API.
// Run by tests/e2e/test_firefox.py, which starts the API and the pages and passes a JSON job:
//   node firefox.mjs '{"extension": DIR, "api": URL, "hostileApi": URL, "deadApi": URL,
//                      "pages": {"reuters": URL, ...}, "artifacts": DIR}'
// Each scenario throws on a failed check; the last line printed is a JSON report.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const job = JSON.parse(process.argv[2]);
const ADDON_ID = "credlens@credlens.dev";
// A fixed internal UUID: extension pages get a known moz-extension:// origin.
const UUID = "0d7c2b1e-credl-ens0-e2e0-firefox00001";
const HOST = "[data-credlens-host]";
const report = { scenarios: {}, axe: {}, frameErrors: [] };

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: "/usr/bin/firefox-esr",
  headless: true,
  // Firefox 153 lets WebDriver open moz-extension:// pages only with system access.
  args: ["--remote-allow-system-access"],
  extraPrefsFirefox: {
    "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }),
    // Offline: nothing but loopback.
    "network.proxy.type": 0,
    "app.update.enabled": false,
  },
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(fn, what, timeout = 30000) {
  const start = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** An extension page (the options page): BiDi reports no load event for it, so the
 * navigation is not awaited; the page is ready when its script's API answers. */
async function extensionPage(file) {
  const page = await browser.newPage();
  await page.goto(`moz-extension://${UUID}/${file}`, { timeout: 3000 }).catch(() => {});
  await until(() => page.evaluate(() => typeof browser !== "undefined" && !!browser.storage).catch(() => false),
    `${file} to load`);
  return page;
}

async function configure(settings) {
  const page = await extensionPage("options/options.html");
  await page.evaluate((s) => browser.storage.sync.set(s), settings);
  const want = settings.mode === "auto";
  await until(async () => {
    const ids = await page.evaluate(() =>
      browser.scripting.getRegisteredContentScripts().then((s) => s.map((x) => x.id)));
    return ids.length > 0 === want;
  }, "the content script registration");
  await page.close();
}

async function openArticle(url, state = "done") {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  try {
    await page.goto(url, { waitUntil: "load" });
  } catch (err) {
    // Firefox's BiDi navigate listens to the tab's web progress, which also hears its frames:
    // when an iframe shows an error page before the top document is interactive, the
    // navigation fails with "Address rejected" (Navigate.sys.mjs) though the page itself
    // loaded. The NYT page's own iframes (myaccount.nytimes.com, static01.nyt.com) cannot
    // resolve offline, and under CPU load they fail first (traced with remote.log.level
    // Trace: dnsNotFound in the frame, then "Location=errorPage" on the top document's URL).
    // Accepted only when the tab shows the page itself; each one is recorded and printed.
    const shown = await page.evaluate(() => document.documentURI).catch((e) => `? ${e}`);
    if (!String(err).includes("Address rejected") || shown !== url) throw err;
    report.frameErrors.push(url);
    await until(() => page.evaluate(() => document.readyState === "complete").catch(() => false),
      `${url} to load`);
  }
  const loaded = Date.now();
  await until(() => page.evaluate((sel, st) => {
    const host = document.querySelector(sel);
    return !!host && host.getAttribute("data-state") === st;
  }, HOST, state), `state ${state} on ${url}`);
  return { page, ms: Date.now() - loaded };
}

const inShadow = (page, fn, ...args) =>
  page.evaluate((sel, body, a) => {
    const root = document.querySelector(sel).shadowRoot;
    return new Function("root", "args", body)(root, a);
  }, HOST, fn, args);

/** axe-core on the page, or on `include` (a selector: the overlay, not the news page). */
async function axeCounts(page, label, include = null) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async (sel) => {
    const context = sel ? { include: [[sel]] } : document;
    const r = await globalThis.axe.run(context, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  }, include);
  const counts = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  for (const v of result) counts[v.impact] = (counts[v.impact] || 0) + v.nodes;
  report.axe[label] = { counts, violations: result };
  return counts;
}

async function scenario(name, fn) {
  const start = Date.now();
  try {
    await fn();
    report.scenarios[name] = { ok: true, ms: Date.now() - start };
  } catch (err) {
    report.scenarios[name] = { ok: false, error: String(err && err.stack ? err.stack : err) };
  }
}

try {
  const id = await browser.installExtension(job.extension);
  assert.equal(id, ADDON_ID);
  report.version = await browser.version();

  await scenario("badge equals the API average; the panel explains it", async () => {
    await configure({ apiBase: job.api, mode: "auto", disabledSites: [], apiKey: "" });
    const { page, ms } = await openArticle(job.pages.reuters);
    report.badgeMs = ms;
    const analysis = await (await fetch(
      `${job.api}/v1/analyses?url=${encodeURIComponent(job.pages.reuters)}`)).json();
    const badge = await inShadow(page, "return root.querySelector('[data-testid=credlens-badge]').textContent");
    assert.equal(badge, analysis.scores.average.toFixed(1));
    // Only in the shadow root.
    assert.equal(await page.evaluate(() => document.querySelectorAll("[data-testid=credlens-badge]").length), 0);
    await (await page.$(">>> [data-testid=credlens-badge]")).click();
    await until(() => inShadow(page, "return !root.querySelector('[data-testid=credlens-panel]').hidden"), "the panel");
    const seen = await inShadow(page, `return {
      suggested: root.querySelector('[data-testid=credlens-suggested]').textContent,
      original: root.querySelector('[data-testid=credlens-original]').textContent,
      metrics: root.querySelectorAll('[data-testid=credlens-scores] .metric').length,
      evidence: root.querySelectorAll('[data-testid=credlens-evidence-item]').length,
      summary: root.querySelectorAll('[data-testid=credlens-summary] li').length,
      footer: root.querySelector('[data-testid=credlens-footer]').textContent }`);
    assert.ok(seen.suggested.trim());
    assert.equal(seen.original, analysis.title);
    assert.equal(seen.metrics, 3);
    assert.ok(seen.evidence >= 1 && seen.summary >= 1);
    assert.ok(seen.footer.includes(analysis.model.name));
    await page.waitForFunction(() => getComputedStyle(document.documentElement).opacity === "1");
    await page.screenshot({ path: path.join(job.artifacts, "firefox-panel.png") });
    await axeCounts(page, "panel (Firefox)", HOST);

    // Evidence → the sentence is marked in the page.
    const item = await page.$(">>> [data-testid=credlens-evidence-item]");
    const text = await item.evaluate((b) => b.textContent);
    await item.click();
    const marked = await page.evaluate(() =>
      globalThis.CSS && CSS.highlights && CSS.highlights.has("credlens-evidence")
        ? [...CSS.highlights.get("credlens-evidence")][0].toString()
        : String(getSelection()));
    assert.equal(marked.split(/\s+/).join(" ").trim(), text.split(/\s+/).join(" ").trim());
    await page.screenshot({ path: path.join(job.artifacts, "firefox-evidence-highlight.png") });
    await page.keyboard.press("Escape");
    assert.ok(await inShadow(page, "return root.querySelector('[data-testid=credlens-panel]').hidden"));
    await page.close();
  });

  await scenario("keyboard only: open, evidence, close", async () => {
    const { page } = await openArticle(job.pages.reuters);
    // The overlay is the last thing in the page's tab order: Shift+Tab from the top reaches it.
    await page.evaluate(() => { document.activeElement && document.activeElement.blur(); });
    await page.keyboard.down("Shift");
    await page.keyboard.press("Tab");
    await page.keyboard.up("Shift");
    const focused = () => inShadow(page, "const a = root.activeElement; return a ? (a.dataset.testid || a.className) : null");
    await until(async () => (await focused()) === "credlens-badge", "focus on the badge", 5000);
    await page.keyboard.press("Enter");
    await until(() => inShadow(page, "return !root.querySelector('[data-testid=credlens-panel]').hidden"), "the panel");
    for (let i = 0; i < 40 && (await focused()) !== "credlens-evidence-item"; i++) {
      await page.keyboard.press("Tab");
    }
    assert.equal(await focused(), "credlens-evidence-item");
    await page.keyboard.press("Enter");
    await until(() => page.evaluate(() =>
      (globalThis.CSS && CSS.highlights && CSS.highlights.has("credlens-evidence")) ||
      String(getSelection()).length > 0), "the highlight");
    await page.keyboard.press("Escape");
    assert.ok(await inShadow(page, "return root.querySelector('[data-testid=credlens-panel]').hidden"));
    assert.equal(await focused(), "credlens-badge");
    await page.close();
  });

  await scenario("a page whose iframe cannot load gets its overlay", async () => {
    const { page } = await openArticle(job.pages.frame);
    const badge = await inShadow(page, "return root.querySelector('[data-testid=credlens-badge]').textContent");
    assert.match(badge, /^\d+\.\d$/);
    await page.close();
  });

  await scenario("API down shows its state", async () => {
    await configure({ apiBase: job.deadApi, mode: "auto", disabledSites: [], apiKey: "" });
    const { page } = await openArticle(job.pages.bbc, "unreachable");
    assert.equal(await inShadow(page, "return root.querySelector('[data-testid=credlens-badge]').textContent"), "!");
    await (await page.$(">>> [data-testid=credlens-badge]")).click();
    const status = await inShadow(page, "return root.querySelector('[data-testid=credlens-status]').textContent");
    assert.match(status, /did not answer/);
    await page.screenshot({ path: path.join(job.artifacts, "firefox-api-down.png") });
    await page.close();
  });

  await scenario("hostile API text is inert", async () => {
    await configure({ apiBase: job.hostileApi, mode: "auto", disabledSites: [], apiKey: "" });
    const { page } = await openArticle(job.pages.opinion);
    await (await page.$(">>> [data-testid=credlens-badge]")).click();
    const counts = await inShadow(page, "return ['script', 'img', 'b'].map((t) => root.querySelectorAll(t).length)");
    assert.deepEqual(counts, [0, 0, 0]);
    assert.equal(await page.evaluate(() => window.__pwned === undefined), true);
    const suggested = await inShadow(page, "return root.querySelector('[data-testid=credlens-suggested]').textContent");
    assert.ok(suggested.includes(job.hostile));
    await page.screenshot({ path: path.join(job.artifacts, "firefox-hostile.png") });
    await page.close();
  });

  await scenario("options and history pages are accessible", async () => {
    const options = await extensionPage("options/options.html");
    await axeCounts(options, "options (Firefox)");
    await options.close();
    const history = await extensionPage("history/history.html");
    await until(() => history.evaluate(() => document.querySelectorAll("#rows tr").length > 0), "the history rows");
    assert.ok(await history.evaluate(() => document.querySelectorAll("#rows tr[data-url]").length >= 1));
    await history.screenshot({ path: path.join(job.artifacts, "firefox-history.png"), fullPage: true });
    await axeCounts(history, "history (Firefox)");
    await history.close();
  });
} finally {
  await browser.close();
  console.log(JSON.stringify(report));
}
