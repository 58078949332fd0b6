import assert from "node:assert/strict";
import { test } from "node:test";
import "../../shared/article.js";

const { MIN_ARTICLE_TEXT, isArticle } = globalThis.credlens.article;

test("JSON-LD article types, also inside @graph and type lists", () => {
  assert.equal(isArticle({ jsonLd: ['{"@type":"NewsArticle"}'] }), true);
  assert.equal(isArticle({ jsonLd: ['{"@graph":[{"@type":"WebSite"},{"@type":["BlogPosting"]}]}'] }), true);
  assert.equal(isArticle({ jsonLd: ['[{"@type":"Organization"}]'] }), false);
});

test("malformed JSON-LD does not break detection", () => {
  assert.equal(isArticle({ jsonLd: ["{not json"], ogType: "article" }), true);
  assert.equal(isArticle({ jsonLd: ["{not json"] }), false);
});

test("og:type and a long <article>", () => {
  assert.equal(isArticle({ ogType: " Article " }), true);
  assert.equal(isArticle({ ogType: "website" }), false);
  assert.equal(isArticle({ articleTextLength: MIN_ARTICLE_TEXT }), true);
  assert.equal(isArticle({ articleTextLength: 80 }), false);
});
