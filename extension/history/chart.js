// A grouped bar chart as plain SVG, drawn by our code (no library, no remote code): one group
// per row (a week or a site), one bar per score, a 0–10 axis. Every bar carries a <title>
// (its value on hover), and the figure a caption; the table on the page holds the same data.
// A classic script that registers on globalThis.credlens; the history page and tests use it.
(() => {
  "use strict";
  const ns = (globalThis.credlens ??= {});
  const SVG = "http://www.w3.org/2000/svg";

  /** Score → colour, chosen for 4.5:1 contrast on white. */
  const SERIES = Object.freeze([
    { key: "objectivity", label: "Objectivity", color: "#1a56db" },
    { key: "accuracy", label: "Accuracy", color: "#1e7b34" },
    { key: "transparency", label: "Transparency", color: "#9a5b00" },
  ]);
  const BAR = 14;
  /** Width of one group: room for its label ("2026-11-23", a site name) under the bars. */
  const GROUP = 92;
  const HEIGHT = 180;
  const LEFT = 28;
  const BOTTOM = 40;

  function node(doc, tag, attrs = {}, text = null) {
    const n = doc.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== null) n.textContent = text;
    return n;
  }

  /** An <svg> for `rows` ([{key, n, objectivity, accuracy, transparency}]). */
  function barChart(doc, rows, { title }) {
    const groupWidth = GROUP;
    const width = LEFT + Math.max(1, rows.length) * groupWidth + 8;
    const svg = node(doc, "svg", {
      width, height: HEIGHT + BOTTOM, viewBox: `0 0 ${width} ${HEIGHT + BOTTOM}`, role: "img",
      "aria-label": `${title}: ${rows.length} ${rows.length === 1 ? "group" : "groups"}, bars from 0 to 10`,
    });
    for (const tick of [0, 5, 10]) {
      const y = HEIGHT - (tick / 10) * (HEIGHT - 10);
      svg.append(node(doc, "line", { x1: LEFT, x2: width, y1: y, y2: y, stroke: "#ddd" }),
        node(doc, "text", { x: 4, y: y + 4 }, String(tick)));
    }
    rows.forEach((row, i) => {
      const x0 = LEFT + i * groupWidth + (GROUP - SERIES.length * BAR) / 2;
      SERIES.forEach((s, j) => {
        const value = typeof row[s.key] === "number" ? row[s.key] : 0;
        const h = (value / 10) * (HEIGHT - 10);
        const bar = node(doc, "rect", {
          x: x0 + j * BAR, y: HEIGHT - h, width: BAR - 2, height: h, fill: s.color,
          "data-series": s.key, "data-group": row.key,
        });
        bar.append(node(doc, "title", {}, `${row.key}: ${s.label} ${value.toFixed(1)} (${row.n} articles)`));
        svg.append(bar);
      });
      const label = row.key.length > 13 ? `${row.key.slice(0, 12)}…` : row.key;
      const mid = LEFT + i * groupWidth + GROUP / 2;
      svg.append(node(doc, "text", { x: mid, y: HEIGHT + 16, "text-anchor": "middle" }, label),
        node(doc, "text", { x: mid, y: HEIGHT + 32, "text-anchor": "middle" }, `${row.n} read`));
    });
    return svg;
  }

  function legend(doc) {
    const box = doc.createElement("div");
    box.className = "legend";
    for (const s of SERIES) {
      const item = doc.createElement("span");
      item.style.setProperty("--c", s.color);
      item.textContent = s.label;
      box.append(item);
    }
    return box;
  }

  ns.chart = Object.freeze({ SERIES, barChart, legend });
})();
