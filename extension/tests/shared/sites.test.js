import assert from "node:assert/strict";
import { test } from "node:test";
import "../../shared/sites.js";

const { isAllowed, parseSiteList, siteOf } = globalThis.credlens.sites;

test("site of a URL", () => {
  assert.equal(siteOf("https://www.Example.com/a?b"), "example.com");
  assert.equal(siteOf("http://127.0.0.1:8123/x"), "127.0.0.1");
  assert.equal(siteOf("chrome://settings"), null);
  assert.equal(siteOf("not a url"), null);
});

test("a site turned off covers its subdomains", () => {
  assert.equal(isAllowed("https://news.example.com/x", ["example.com"]), false);
  assert.equal(isAllowed("https://example.com/x", ["example.com"]), false);
  assert.equal(isAllowed("https://notexample.com/x", ["example.com"]), true);
  assert.equal(isAllowed("file:///etc/passwd", []), false);
});

test("site list from the options textarea", () => {
  assert.deepEqual(parseSiteList("Example.com\n\n https://www.news.org/path \nexample.com\nfoo.net/x"),
    ["example.com", "news.org", "foo.net"]);
});
