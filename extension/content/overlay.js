// The overlay: a badge fixed in a corner and a panel, inside an open shadow root whose host
// resets inherited styles. Every piece of API text goes in with textContent (never innerHTML).
// A classic script (content scripts cannot be ES modules) that registers on the
// globalThis.credlens namespace; workers and tests import it for that side effect.
(() => {
  "use strict";
  const ns = (globalThis.credlens ??= {});
  const { METRICS, formatScore, normalizeScore, scoreColor, scoreWord } = ns.scores;


  const STYLE = `
  :host { all: initial; }
  * { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  .badge { all: unset; box-sizing: border-box; cursor: pointer; min-width: 52px; height: 52px;
    padding: 0 10px; border-radius: 26px; color: #fff; font: 700 18px/52px system-ui, sans-serif;
    text-align: center; box-shadow: 0 2px 10px rgba(0,0,0,.35); }
  .badge:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  .panel { position: absolute; right: 0; bottom: 64px; width: min(380px, calc(100vw - 32px));
    max-height: min(620px, calc(100vh - 96px)); overflow: auto; background: #fff; color: #1b1b1b;
    border-radius: 10px; box-shadow: 0 6px 28px rgba(0,0,0,.35); padding: 14px 16px;
    font: 14px/1.45 system-ui, sans-serif; }
  .panel[hidden] { display: none; }
  header { display: flex; align-items: center; justify-content: space-between; }
  h2 { margin: 0; font-size: 16px; }
  h3 { margin: 14px 0 6px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em;
    color: #555; }
  button.close, button.link { all: unset; cursor: pointer; color: #1a56db; }
  button.close { font-size: 20px; padding: 0 4px; }
  button.close:focus-visible, button.link:focus-visible, .metric:focus-visible,
  .evidence button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
  .status { margin: 8px 0; }
  .label { margin: 8px 0 2px; font-size: 12px; color: #595959; }
  .original { margin: 0; color: #444; }
  .suggested { margin: 0; font-weight: 600; }
  .metric { all: unset; display: grid; grid-template-columns: 96px 1fr 32px; align-items: center;
    gap: 8px; width: 100%; padding: 3px 0; cursor: default; }
  .track { height: 10px; background: #eee; border-radius: 5px; overflow: hidden; }
  .bar { height: 100%; border-radius: 5px; }
  .value { text-align: right; font-weight: 600; }
  .explain { min-height: 2.9em; margin: 6px 0 0; color: #333; font-size: 13px; }
  .summary ul { margin: 0; padding-left: 18px; }
  .evidence ul { margin: 0; padding: 0; list-style: none; }
  .evidence li { margin: 8px 0; padding-left: 9px; border-left: 3px solid #bbb; }
  .evidence li.neg { border-left-color: #b3261e; }
  .evidence li.pos { border-left-color: #1e7b34; }
  .evidence button { all: unset; cursor: pointer; color: #1b1b1b;
    text-decoration: underline dotted #888; }
  .tag { display: block; font-size: 12px; color: #595959; margin-top: 2px; }
  h4 { margin: 10px 0 2px; font-size: 13px; }
  .outlet { margin: 4px 0; font-size: 13px; }
  .outlet .name { font-weight: 600; color: #1b1b1b; }
  .points { font-weight: 600; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; }
  footer a, footer button.link { color: #1a56db; }
  .neg { color: #b3261e; } .pos { color: #1e7b34; }
  footer { margin-top: 14px; font-size: 12px; color: #595959; display: grid; gap: 4px; }
  `;

  function el(doc, tag, attrs = {}, ...children) {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? doc.createTextNode(child) : child);
    }
    return node;
  }

  const STATUS_TEXT = {
    analysing: () => "Analysing this article…",
    unreachable: (r) => `The credlens API did not answer (${r.detail || "network error"}). Check the API URL in the options.`,
    not_article: () => "No article found on this page.",
    unsupported_language: (r) =>
      `This article's language is not supported yet, so it has no scores. ${r.detail || ""}`.trim(),
    error: (r) => `Something went wrong: ${r.error || "error"}${r.detail ? ` (${r.detail})` : ""}.`,
  };

  function createOverlay(doc, { onEvidence, onDisableSite, onHistory = () => {} }) {
    const host = el(doc, "div", { "data-credlens-host": "" });
    // Fixed in a corner, above the page, out of its layout; `all: initial` stops inheritance.
    host.style.cssText =
      "all: initial; position: fixed; inset: auto 16px 16px auto; z-index: 2147483647;" +
      " overflow: visible;";
    const root = host.attachShadow({ mode: "open" });
    root.append(el(doc, "style", {}, STYLE));

    const badge = el(doc, "button", {
      class: "badge", type: "button", "data-testid": "credlens-badge", "aria-expanded": "false",
      "aria-controls": "credlens-panel",
    });
    const panel = el(doc, "section", {
      class: "panel", id: "credlens-panel", role: "dialog", "aria-label": "credlens analysis",
      "data-testid": "credlens-panel", hidden: true,
    });
    // Announces analysing → result to screen readers whether or not the panel is open.
    const live = el(doc, "p", { class: "visually-hidden", role: "status", "aria-live": "polite",
      "data-testid": "credlens-live" });
    root.append(badge, panel, live);
    doc.documentElement.append(host);
    // The top layer (a manual popover) keeps the overlay visible and on top whatever the page
    // does to its own tree: pages hide themselves with `html { opacity: 0 }` while loading
    // (anti-flicker snippets), and z-index wars end there.
    if (typeof host.showPopover === "function") {
      host.setAttribute("popover", "manual");
      host.showPopover();
    }

    function toggle(open = panel.hidden) {
      panel.hidden = !open;
      badge.setAttribute("aria-expanded", String(open));
      if (open) {
        const first = panel.querySelector("button");
        if (first) first.focus();
      } else {
        badge.focus();
      }
    }
    badge.addEventListener("click", () => toggle());
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") toggle(false);
    });

    function header() {
      const close = el(doc, "button", { class: "close", type: "button", "aria-label": "Close" }, "×");
      close.addEventListener("click", () => toggle(false));
      return el(doc, "header", {}, el(doc, "h2", {}, "credlens"), close);
    }

    function footer(result) {
      const a = result.analysis || {};
      const model = a.model ? `Model ${a.model.name} ${a.model.version}` : null;
      const cached = a.model ? (a.cached ? "Cached result" : "Fresh analysis") : null;
      const off = el(doc, "button", { class: "link", type: "button", "data-testid": "credlens-site-off" },
        "Turn credlens off for this site");
      off.addEventListener("click", () => onDisableSite());
      const reading = el(doc, "button", { class: "link", type: "button", "data-testid": "credlens-history" },
        "Your reading (history on this device)");
      reading.addEventListener("click", () => onHistory());
      // The model card of the serving model, from the reader's own API.
      const base = typeof result.apiBase === "string" && /^https?:\/\//.test(result.apiBase) ? result.apiBase : null;
      const card = a.model && base
        ? el(doc, "a", { href: `${base}/model/card`, target: "_blank", rel: "noopener noreferrer",
          "data-testid": "credlens-model-card" }, "How the scores are made (model card)")
        : null;
      return el(doc, "footer", { "data-testid": "credlens-footer" },
        [model, cached].filter(Boolean).length ? el(doc, "span", {}, [model, cached].filter(Boolean).join(" · ")) : null,
        el(doc, "span", {}, "Scores are signals with their evidence, not a fact check."),
        card, reading, off);
    }

    function headlineBlock(a) {
      const box = el(doc, "div", { class: "headline" });
      if (a.title) {
        box.append(el(doc, "p", { class: "label" }, "Original headline"),
          el(doc, "p", { class: "original", "data-testid": "credlens-original" }, a.title));
      }
      if (a.suggested_headline && a.suggested_headline.text) {
        const method = a.suggested_headline.method === "kept_original" ? " (original kept: already neutral)" : "";
        box.append(el(doc, "p", { class: "label" }, `Suggested headline${method}`),
          el(doc, "p", { class: "suggested", "data-testid": "credlens-suggested" }, a.suggested_headline.text));
      }
      return box;
    }

    function chart(a) {
      const box = el(doc, "div", { class: "scores", "data-testid": "credlens-scores" });
      const explain = el(doc, "p", { class: "explain", id: "credlens-explain", "aria-live": "polite" },
        "Hover or focus a score to see what it means and what moved it.");
      for (const { key, label, meaning } of METRICS) {
        const value = normalizeScore(a.scores[key]);
        const detail = a.details && a.details[key] ? a.details[key].explanation : "";
        const bar = el(doc, "div", { class: "bar" });
        bar.style.width = `${(value ?? 0) * 10}%`;
        bar.style.background = scoreColor(value);
        // The visible text is the accessible name; the rest is read after it.
        const row = el(doc, "button", {
          class: "metric", type: "button", "data-metric": key, "aria-describedby": "credlens-explain",
        }, el(doc, "span", {}, label), el(doc, "span", { class: "track", "aria-hidden": "true" }, bar),
          el(doc, "span", { class: "value" }, formatScore(value)),
          el(doc, "span", { class: "visually-hidden" }, ` of 10, ${scoreWord(value)}`));
        const show = () => {
          explain.textContent = `${label} ${formatScore(value)} of 10. ${detail} Scale: ${meaning}`;
        };
        row.addEventListener("mouseenter", show);
        row.addEventListener("focus", show);
        box.append(row);
      }
      box.append(explain);
      return box;
    }

    function points(weight) {
      return `${weight < 0 ? "−" : "+"}${Math.abs(weight).toFixed(1)}`;
    }

    /** Evidence grouped per score; each item with its effect in score points as the API gives
     * it; the outlet's record, where known, as its own labelled line. */
    function evidenceBlock(a) {
      const box = el(doc, "div", { class: "evidence", "data-testid": "credlens-evidence" },
        el(doc, "h3", {}, "Evidence, in score points"));
      for (const { key, label } of METRICS) {
        const items = (a.details && a.details[key] && a.details[key].evidence) || [];
        if (!items.length) continue;
        const list = el(doc, "ul", { "aria-label": `${label} evidence` });
        let outlet = null;
        for (const item of items) {
          const weight = Number(item.weight) || 0;
          const side = weight < 0 ? "neg" : "pos";
          const what = String(item.label || "").replace(/_/g, " ");
          if (item.label === "outlet_record") {
            outlet = el(doc, "p", { class: `outlet ${side}`, "data-testid": "credlens-outlet" },
              el(doc, "span", { class: "name" }, "Outlet record: "), String(item.text || ""),
              el(doc, "span", { class: "points" }, ` ${points(weight)}`));
            continue;
          }
          const sign = el(doc, "span", { class: `tag ${side}` }, `${what} ${points(weight)}`);
          if (item.kind === "signal") {
            list.append(el(doc, "li", { class: side }, el(doc, "span", {}, String(item.text || "")), sign));
            continue;
          }
          const button = el(doc, "button", { type: "button", "data-testid": "credlens-evidence-item",
            title: "Show this sentence in the page" }, String(item.text || ""));
          button.addEventListener("click", () => onEvidence(String(item.text || "")));
          list.append(el(doc, "li", { class: side }, button, sign));
        }
        box.append(el(doc, "h4", { "data-score": key }, label));
        if (outlet) box.append(outlet);
        if (list.children.length) box.append(list);
      }
      return box.children.length > 1 ? box : null;
    }

    function summaryBlock(a) {
      const sentences = Array.isArray(a.summary) ? a.summary : a.summary ? [String(a.summary)] : [];
      if (!sentences.length) return null;
      return el(doc, "div", { class: "summary", "data-testid": "credlens-summary" },
        el(doc, "h3", {}, "Summary"), el(doc, "ul", {}, ...sentences.map((s) => el(doc, "li", {}, String(s)))));
    }

    function setState(result) {
      const state = result && result.state ? result.state : "error";
      host.setAttribute("data-state", state);
      panel.replaceChildren(header());
      const a = result.analysis || null;
      if (state === "done" && a && a.scores) {
        const average = normalizeScore(a.scores.average);
        badge.textContent = formatScore(average);
        badge.style.background = scoreColor(average);
        badge.setAttribute("aria-label",
          `credlens: average ${formatScore(average)} of 10 (${scoreWord(average)}). Open details`);
        live.textContent = `credlens: average score ${formatScore(average)} of 10, ${scoreWord(average)}.`;
        panel.append(headlineBlock(a), el(doc, "h3", {}, `Scores · average ${formatScore(average)}`),
          chart(a));
        const evidence = evidenceBlock(a);
        const summary = summaryBlock(a);
        if (evidence) panel.append(evidence);
        if (summary) panel.append(summary);
      } else {
        const text = (STATUS_TEXT[state] || STATUS_TEXT.error)(result || {});
        badge.textContent = state === "analysing" ? "…" : state === "error" || state === "unreachable" ? "!" : "–";
        badge.style.background = scoreColor(null);
        badge.setAttribute("aria-label", `credlens: ${text}`);
        live.textContent = `credlens: ${text}`;
        panel.append(el(doc, "p", { class: "status", role: "status", "data-testid": "credlens-status" }, text));
        if (a && (a.title || a.suggested_headline)) panel.append(headlineBlock(a));
      }
      panel.append(footer(result || {}));
    }

    return { setState, remove: () => host.remove(), host };
  }

  ns.overlay = Object.freeze({ createOverlay });
})();
