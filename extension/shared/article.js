// Is this page an article? Signals the page declares: JSON-LD NewsArticle/Article/BlogPosting,
// og:type=article, or a main <article> element holding real text.
// A classic script (content scripts cannot be ES modules) that registers on the
// globalThis.credlens namespace; workers and tests import it for that side effect.
(() => {
  "use strict";
  const ns = (globalThis.credlens ??= {});

  const ARTICLE_TYPES = new Set([
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "Report",
  ]);
  /** An <article> with less text than this is a teaser card, not the page's article. */
  const MIN_ARTICLE_TEXT = 500;

  function hasArticleType(node) {
    if (Array.isArray(node)) return node.some(hasArticleType);
    if (node === null || typeof node !== "object") return false;
    const types = Array.isArray(node["@type"]) ? node["@type"] : [node["@type"]];
    if (types.some((t) => ARTICLE_TYPES.has(t))) return true;
    return hasArticleType(node["@graph"] ?? null);
  }

  /** Pure decision from the page's signals (unit-tested without a DOM). */
  function isArticle({ jsonLd = [], ogType = null, articleTextLength = 0 }) {
    for (const raw of jsonLd) {
      try {
        if (hasArticleType(JSON.parse(raw))) return true;
      } catch {
        // Malformed JSON-LD is common; other signals decide.
      }
    }
    if (ogType && ogType.trim().toLowerCase() === "article") return true;
    return articleTextLength >= MIN_ARTICLE_TEXT;
  }

  /** Read the signals from a live document. */
  function pageSignals(doc) {
    const jsonLd = [...doc.querySelectorAll('script[type="application/ld+json"]')].map(
      (s) => s.textContent || "",
    );
    const og = doc.querySelector('meta[property="og:type"]');
    const articles = [...doc.querySelectorAll("article")];
    const articleTextLength = Math.max(0, ...articles.map((a) => (a.textContent || "").length));
    return { jsonLd, ogType: og ? og.getAttribute("content") : null, articleTextLength };
  }

  ns.article = Object.freeze({ MIN_ARTICLE_TEXT, isArticle, pageSignals });
})();
