// How scores are shown: one decimal, a colour scale from red (0) through amber to green (10),
// and a short word a reader can take in at a glance.
// A classic script (content scripts cannot be ES modules) that registers on the
// globalThis.credlens namespace; workers and tests import it for that side effect.
(() => {
  "use strict";
  const ns = (globalThis.credlens ??= {});

  // What each score means on its scale, in the model card's words (MODEL_CARD.md, "The scale").
  const METRICS = Object.freeze([
    { key: "objectivity", label: "Objectivity",
      meaning: "8 reads like news reporting that keeps facts apart from opinion; 5 either; 2 an opinion column." },
    { key: "accuracy", label: "Accuracy",
      meaning: "8 writes like outlets graded high for factual reporting (with their record, where known); 2 like those graded mixed or lower." },
    { key: "transparency", label: "Transparency",
      meaning: "8 sourced like news reporting (attribution, quotes, named sources, byline, date, links); 2 like unsourced commentary." },
  ]);

  /** Clamp to 0–10 and round to one decimal; `null` for anything that is not a finite number. */
  function normalizeScore(value) {
    const n = typeof value === "number" ? value : Number.NaN;
    if (!Number.isFinite(n)) return null;
    return Math.round(Math.min(10, Math.max(0, n)) * 10) / 10;
  }

  function formatScore(value) {
    const n = normalizeScore(value);
    return n === null ? "–" : n.toFixed(1);
  }

  /** Hue from 0 (red) to 120 (green); saturation and lightness keep white text readable. */
  function scoreColor(value) {
    const n = normalizeScore(value);
    if (n === null) return "hsl(0, 0%, 45%)";
    return `hsl(${Math.round(n * 12)}, 70%, 34%)`;
  }

  /** Thresholds match the model card's bands: below 4 weak, 7 and above strong. */
  function scoreWord(value) {
    const n = normalizeScore(value);
    if (n === null) return "not scored";
    if (n >= 7) return "strong";
    if (n >= 4) return "mixed";
    return "weak";
  }

  ns.scores = Object.freeze({ METRICS, normalizeScore, formatScore, scoreColor, scoreWord });
})();
