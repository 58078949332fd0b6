import assert from "node:assert/strict";
import { test } from "node:test";
import "../../shared/messages.js";

const { ANALYZE, RESULT, STATES, analyzeMessage, isAnalyzeMessage, resultMessage } = globalThis.credlens.messages;

test("analyse messages are recognised, anything else is not", () => {
  assert.equal(isAnalyzeMessage(analyzeMessage("https://a.org/x", "<p>x</p>")), true);
  assert.equal(isAnalyzeMessage({ type: ANALYZE, url: 1, html: "" }), false);
  assert.equal(isAnalyzeMessage(null), false);
  assert.equal(isAnalyzeMessage("credlens/analyze"), false);
});

test("result messages only carry known states", () => {
  assert.deepEqual(resultMessage(STATES.done, { analysis: {} }), { type: RESULT, state: "done", analysis: {} });
  assert.throws(() => resultMessage("weird"));
});
