// On a page: decide whether it is an article, ask the worker for an analysis, show the overlay.
// Runs last of the content scripts (see CONTENT_SCRIPTS in background/registration.js).
// Injected again (automatic mode, then a toolbar click), it only asks the first run to analyse.
(() => {
  "use strict";
  const ext = globalThis.browser ?? globalThis.chrome;
  const forced = window.__credlensForce === true;
  window.__credlensForce = false;
  if (window.__credlensStarted) {
    if (forced) window.dispatchEvent(new CustomEvent("credlens:run"));
    return;
  }
  window.__credlensStarted = true;

  const { DISABLE_SITE, OPEN_HISTORY, analyzeMessage } = globalThis.credlens.messages;
  const { isArticle, pageSignals } = globalThis.credlens.article;
  const { highlightText } = globalThis.credlens.highlight;
  const { createOverlay } = globalThis.credlens.overlay;
  let overlay = null;

  async function run() {
    if (!overlay) {
      overlay = createOverlay(document, {
        onEvidence: (text) => highlightText(document, text),
        onHistory: () => ext.runtime.sendMessage({ type: OPEN_HISTORY }),
        onDisableSite: () => {
          ext.runtime.sendMessage({ type: DISABLE_SITE });
          overlay.remove();
          overlay = null;
        },
      });
    }
    overlay.setState({ state: "analysing" });
    let result;
    try {
      result = await ext.runtime.sendMessage(
        analyzeMessage(location.href, document.documentElement.outerHTML),
      );
    } catch (err) {
      result = { state: "error", error: "extension", detail: String(err) };
    }
    if (overlay) overlay.setState(result || { state: "error", error: "no_answer", detail: "" });
  }

  window.addEventListener("credlens:run", () => run());
  if (forced || isArticle(pageSignals(document))) run();
})();
