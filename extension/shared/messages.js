// Messages between the content script, the options page and the service worker: a union of
// plain objects on a `type` field, documented here and nowhere else.
// A classic script (content scripts cannot be ES modules) that registers on the
// globalThis.credlens namespace; workers and tests import it for that side effect.
(() => {
  "use strict";
  const ns = (globalThis.credlens ??= {});

  /** Content → worker: analyse this page. `{type, url, html}` */
  const ANALYZE = "credlens/analyze";
  /** Worker → content: the outcome of an analysis. `{type, state, analysis?, error?, detail?}` */
  const RESULT = "credlens/result";
  /** Content → worker: the reader turned credlens off for this page's site. `{type}` */
  const DISABLE_SITE = "credlens/disable-site";
  /** Content → worker: open the reader's history page in a tab. `{type}` */
  const OPEN_HISTORY = "credlens/open-history";

  /** States the overlay can show. */
  const STATES = Object.freeze({
    analysing: "analysing",
    done: "done",
    unreachable: "unreachable",
    notArticle: "not_article",
    unsupportedLanguage: "unsupported_language",
    error: "error",
  });

  function analyzeMessage(url, html) {
    return { type: ANALYZE, url: String(url), html: String(html) };
  }

  function resultMessage(state, fields = {}) {
    if (!Object.values(STATES).includes(state)) throw new Error(`unknown state: ${state}`);
    return { type: RESULT, state, ...fields };
  }

  /** True when `message` is a well-formed analyse request (anything else is ignored). */
  function isAnalyzeMessage(message) {
    return (
      message !== null &&
      typeof message === "object" &&
      message.type === ANALYZE &&
      typeof message.url === "string" &&
      typeof message.html === "string"
    );
  }

  ns.messages = Object.freeze({ ANALYZE, RESULT, DISABLE_SITE, OPEN_HISTORY, STATES, analyzeMessage, resultMessage, isAnalyzeMessage });
})();
