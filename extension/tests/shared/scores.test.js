import assert from "node:assert/strict";
import { test } from "node:test";
import "../../shared/scores.js";

const { formatScore, normalizeScore, scoreColor, scoreWord } = globalThis.credlens.scores;

test("scores are clamped to 0-10 and rounded to one decimal", () => {
  assert.equal(normalizeScore(7.26), 7.3);
  assert.equal(normalizeScore(-3), 0);
  assert.equal(normalizeScore(12), 10);
  assert.equal(normalizeScore("7"), null);
  assert.equal(normalizeScore(Number.NaN), null);
  assert.equal(formatScore(null), "–");
  assert.equal(formatScore(5), "5.0");
});

test("colour runs from red at 0 to green at 10", () => {
  assert.equal(scoreColor(0), "hsl(0, 70%, 34%)");
  assert.equal(scoreColor(10), "hsl(120, 70%, 34%)");
  assert.match(scoreColor(undefined), /0%, 45%/);
});

test("words follow the bands", () => {
  assert.deepEqual([1, 4, 6.9, 7, 10].map(scoreWord), ["weak", "mixed", "mixed", "strong", "strong"]);
  assert.equal(scoreWord(null), "not scored");
});
