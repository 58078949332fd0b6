// The history page: the reader's analysed articles from storage.local, charts of their average
// scores per week and per site, a site filter, CSV/JSON export and a button that clears it.

const ext = globalThis.browser ?? globalThis.chrome;
const { KEY, LIMIT, aggregate, toCSV, toJSON } = globalThis.credlens.history;
const { barChart, legend } = globalThis.credlens.chart;
const { formatScore } = globalThis.credlens.scores;

const $ = (id) => document.getElementById(id);
const status = $("status");
let entries = [];

function shown() {
  const site = $("site").value;
  return site ? entries.filter((e) => e.site === site) : entries;
}

function cell(text, className = "") {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderTable(list) {
  const rows = $("rows");
  rows.replaceChildren();
  if (!list.length) {
    const td = cell("No analysed articles yet.", "empty");
    td.colSpan = 7;
    const tr = document.createElement("tr");
    tr.append(td);
    rows.append(tr);
    return;
  }
  for (const e of [...list].reverse()) {
    const tr = document.createElement("tr");
    tr.dataset.url = e.url;
    const title = document.createElement("td");
    const link = document.createElement("a");
    link.href = /^https?:\/\//.test(e.url) ? e.url : "#";
    link.textContent = e.title || e.url;
    title.append(link);
    tr.append(cell(new Date(e.date).toLocaleString()), cell(e.site), title,
      ...["objectivity", "accuracy", "transparency", "average"].map((k) => cell(formatScore(e[k]), "num")));
    rows.append(tr);
  }
}

function renderChart(id, rows, title) {
  const figure = $(id);
  figure.replaceChildren();
  if (!rows.length) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = "Nothing to chart yet.";
    figure.append(p);
    return;
  }
  figure.append(legend(document), barChart(document, rows, { title }));
}

function renderSites() {
  const select = $("site");
  const chosen = select.value;
  const sites = [...new Set(entries.map((e) => e.site))].sort();
  select.replaceChildren(new Option("All sites", ""), ...sites.map((s) => new Option(s, s)));
  select.value = sites.includes(chosen) ? chosen : "";
}

function render() {
  const list = shown();
  renderTable(list);
  renderChart("by-week", aggregate(list, "week"), "Average scores per week");
  renderChart("by-site", aggregate(list, "site"), "Average scores per site");
}

async function load() {
  const stored = await ext.storage.local.get({ [KEY]: [] });
  entries = Array.isArray(stored[KEY]) ? stored[KEY] : [];
  $("limit").textContent = LIMIT.toLocaleString("en");
  renderSites();
  render();
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

$("site").addEventListener("change", render);
$("export-csv").addEventListener("click", () => {
  download("credlens-history.csv", "text/csv", toCSV(shown()));
  status.textContent = `Exported ${shown().length} articles as CSV.`;
});
$("export-json").addEventListener("click", () => {
  download("credlens-history.json", "application/json", toJSON(shown()));
  status.textContent = `Exported ${shown().length} articles as JSON.`;
});
$("clear").addEventListener("click", async () => {
  await ext.storage.local.remove(KEY);
  status.textContent = "History cleared.";
  await load();
});
ext.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && KEY in changes) load();
});

load();
