// Evidence → the page: find a sentence among the page's text nodes, scroll to it and mark it
// with the CSS Custom Highlight API (no change to the page's DOM or layout); where that API is
// missing, the browser's selection marks it instead.
// A classic script (content scripts cannot be ES modules) that registers on the
// globalThis.credlens namespace; workers and tests import it for that side effect.
(() => {
  "use strict";
  const ns = (globalThis.credlens ??= {});

  const HIGHLIGHT = "credlens-evidence";
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA"]);

  function textNodes(doc) {
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentElement;
        if (!parent || SKIP.has(parent.tagName) || parent.closest("[data-credlens-host]")) {
          return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    return nodes;
  }

  /** A Range covering `text` in the page (whitespace-insensitive), or null. */
  function findText(doc, text) {
    const needle = String(text).replace(/\s+/g, " ").trim();
    if (!needle) return null;
    // Flatten the page's text with whitespace collapsed, remembering where each char came from.
    const chars = [];
    const where = [];
    let lastSpace = true;
    for (const node of textNodes(doc)) {
      const value = node.nodeValue;
      for (let i = 0; i < value.length; i++) {
        const space = /\s/.test(value[i]);
        if (space && lastSpace) continue;
        chars.push(space ? " " : value[i]);
        where.push([node, i]);
        lastSpace = space;
      }
    }
    const haystack = chars.join("");
    const at = haystack.indexOf(needle);
    if (at < 0) return null;
    const [startNode, startOffset] = where[at];
    const [endNode, endOffset] = where[at + needle.length - 1];
    const range = doc.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset + 1);
    return range;
  }

  function ensureStyle(doc) {
    if (doc.getElementById("credlens-highlight-style")) return;
    const style = doc.createElement("style");
    style.id = "credlens-highlight-style";
    style.textContent = `::highlight(${HIGHLIGHT}) { background: #ffe066; color: #111; }`;
    (doc.head || doc.documentElement).append(style);
  }

  function highlightText(doc, text) {
    const range = findText(doc, text);
    if (!range) return false;
    const win = doc.defaultView;
    if (win && win.CSS && "highlights" in win.CSS && typeof win.Highlight === "function") {
      ensureStyle(doc);
      win.CSS.highlights.set(HIGHLIGHT, new win.Highlight(range));
    } else if (win) {
      const selection = win.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    const target = range.startContainer.parentElement;
    if (target) target.scrollIntoView({ behavior: "smooth", block: "center" });
    return true;
  }

  ns.highlight = Object.freeze({ findText, highlightText });
})();
