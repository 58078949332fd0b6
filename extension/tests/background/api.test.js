import assert from "node:assert/strict";
import { test } from "node:test";
import { GZIP_FROM_BYTES, analyze, buildRequest, toResult } from "../../background/api.js";

const settings = { apiBase: "http://127.0.0.1:8000", apiKey: "", mode: "auto", disabledSites: [] };

test("the request posts JSON to /v1/analyze with the key when set", async () => {
  const [url, init] = await buildRequest({ ...settings, apiKey: "k1" }, "https://a.org/x", "<p>hi</p>");
  assert.equal(url, "http://127.0.0.1:8000/v1/analyze");
  assert.equal(init.method, "POST");
  assert.equal(init.headers["X-API-Key"], "k1");
  assert.deepEqual(JSON.parse(init.body), { url: "https://a.org/x", html: "<p>hi</p>" });
});

test("large pages are gzip-compressed", async () => {
  const html = "<p>" + "word ".repeat(GZIP_FROM_BYTES / 4) + "</p>";
  const [, init] = await buildRequest(settings, "https://a.org/x", html);
  assert.equal(init.headers["Content-Encoding"], "gzip");
  const text = await new Response(new Blob([init.body]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  assert.equal(JSON.parse(text).html, html);
});

test("outcomes map to overlay states", () => {
  assert.equal(toResult(200, { scores: {} }).state, "done");
  assert.equal(toResult(422, { error: "no_article", detail: "x" }).state, "not_article");
  assert.equal(toResult(422, { error: "unsupported_language", detail: "de" }).state, "unsupported_language");
  const err = toResult(503, { error: "overloaded", detail: "retry" });
  assert.equal(err.state, "error");
  assert.equal(err.status, 503);
  assert.equal(toResult(500, null).error, "http_500");
});

test("a dead API is reported as unreachable", async () => {
  const failing = async () => { throw new TypeError("Failed to fetch"); };
  const result = await analyze(settings, "https://a.org/x", "<p>x</p>", failing);
  assert.equal(result.state, "unreachable");
});

test("the API's JSON comes back as the analysis", async () => {
  const ok = async () => new Response(JSON.stringify({ url: "https://a.org/x", scores: { average: 7 } }), { status: 200 });
  const result = await analyze(settings, "https://a.org/x", "<p>x</p>", ok);
  assert.equal(result.analysis.scores.average, 7);
});
