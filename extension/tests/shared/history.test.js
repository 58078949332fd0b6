import assert from "node:assert/strict";
import { test } from "node:test";

import "../../shared/history.js";

const { LIMIT, add, aggregate, entryFrom, toCSV, toJSON, weekOf } = globalThis.credlens.history;

const analysis = (avg, title = "A headline") => ({
  title,
  scores: { objectivity: avg + 1, accuracy: avg, transparency: avg - 1, average: avg },
});

test("an entry keeps the page, its site and the four scores, rounded and clamped", () => {
  const e = entryFrom("https://www.example.com/a?x=1", analysis(6.04), new Date("2026-11-25T10:00:00Z"));
  assert.equal(e.site, "example.com");
  assert.equal(e.date, "2026-11-25T10:00:00.000Z");
  assert.deepEqual([e.objectivity, e.accuracy, e.transparency, e.average], [7, 6, 5, 6]);
  assert.equal(entryFrom("https://x.org/", { scores: { average: 12 } }).average, 10);
  assert.equal(entryFrom("https://x.org/", { scores: {} }).average, null);
});

test("the history is bounded: beyond the limit the oldest entries go", () => {
  let list = [];
  for (let i = 0; i < LIMIT + 50; i++) list = add(list, entryFrom(`https://s.org/${i}`, analysis(5)));
  assert.equal(list.length, LIMIT);
  assert.equal(list[0].url, "https://s.org/50");
  assert.equal(list.at(-1).url, `https://s.org/${LIMIT + 49}`);
  assert.equal(add([], entryFrom("https://s.org/x", analysis(5)), 3).length, 1);
});

test("a page read again replaces its older entry", () => {
  let list = add([], entryFrom("https://s.org/a", analysis(4)));
  list = add(list, entryFrom("https://s.org/b", analysis(5)));
  list = add(list, entryFrom("https://s.org/a", analysis(7)));
  assert.deepEqual(list.map((e) => [e.url, e.average]), [["https://s.org/b", 5], ["https://s.org/a", 7]]);
});

test("weeks start on Monday (UTC)", () => {
  assert.equal(weekOf("2026-11-25T10:00:00Z"), "2026-11-23"); // a Wednesday
  assert.equal(weekOf("2026-11-23T00:00:00Z"), "2026-11-23");
  assert.equal(weekOf("2026-11-29T23:59:59Z"), "2026-11-23"); // Sunday
  assert.equal(weekOf("not a date"), "");
});

test("averages per week in time order and per site by articles read", () => {
  const list = [
    entryFrom("https://a.org/1", analysis(4), new Date("2026-11-10T10:00:00Z")),
    entryFrom("https://a.org/2", analysis(6), new Date("2026-11-26T10:00:00Z")),
    entryFrom("https://b.org/1", analysis(8), new Date("2026-11-27T10:00:00Z")),
  ];
  assert.deepEqual(aggregate(list, "week").map((r) => [r.key, r.n, r.average]),
    [["2026-11-09", 1, 4], ["2026-11-23", 2, 7]]);
  assert.deepEqual(aggregate(list, "site").map((r) => [r.key, r.n, r.average]),
    [["a.org", 2, 5], ["b.org", 1, 8]]);
});

test("CSV quotes every field and defuses formulas; JSON has the same rows", () => {
  const list = [entryFrom("https://a.org/1", analysis(5, '=HYPERLINK("x") "quoted", comma'))];
  const csv = toCSV(list);
  const [header, row] = csv.trim().split("\r\n");
  assert.equal(header, "date,site,title,url,objectivity,accuracy,transparency,average");
  assert.ok(row.includes(`"'=HYPERLINK(""x"") ""quoted"", comma"`));
  const json = JSON.parse(toJSON(list));
  assert.equal(json.length, 1);
  assert.equal(json[0].title, list[0].title);
  assert.equal(json[0].average, 5);
});
