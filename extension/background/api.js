// The one call the extension makes: POST {apiBase}/v1/analyze with the page's URL and HTML.
// Large pages are gzip-compressed (the API accepts Content-Encoding: gzip).

import "../shared/messages.js";

const { STATES, resultMessage } = globalThis.credlens.messages;

/** Pages larger than this are sent compressed (HTML compresses about 5:1). */
export const GZIP_FROM_BYTES = 256 * 1024;
/** An analysis that takes longer than this is reported as an error, not waited for. */
export const TIMEOUT_MS = 20000;

async function gzip(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

/** Build the fetch arguments (pure apart from compression; unit-tested). */
export async function buildRequest(settings, url, html) {
  const json = JSON.stringify({ url, html });
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (settings.apiKey) headers["X-API-Key"] = settings.apiKey;
  let body = json;
  if (json.length >= GZIP_FROM_BYTES && typeof CompressionStream !== "undefined") {
    body = await gzip(json);
    headers["Content-Encoding"] = "gzip";
  }
  return [`${settings.apiBase}/v1/analyze`, { method: "POST", headers, body }];
}

/** Map an HTTP outcome to the overlay's state. */
export function toResult(status, payload) {
  if (status === 200 && payload && typeof payload === "object") {
    return resultMessage(STATES.done, { analysis: payload });
  }
  const error = payload && typeof payload.error === "string" ? payload.error : `http_${status}`;
  const detail = payload && typeof payload.detail === "string" ? payload.detail : "";
  if (error === "no_article") return resultMessage(STATES.notArticle, { error, detail });
  if (error === "unsupported_language") {
    return resultMessage(STATES.unsupportedLanguage, { error, detail, analysis: payload.analysis });
  }
  return resultMessage(STATES.error, { error, detail, status });
}

export async function analyze(settings, url, html, fetchImpl = fetch) {
  const [endpoint, init] = await buildRequest(settings, url, html);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  try {
    response = await fetchImpl(endpoint, { ...init, signal: controller.signal });
  } catch (err) {
    const timedOut = err && err.name === "AbortError";
    return resultMessage(timedOut ? STATES.error : STATES.unreachable, {
      error: timedOut ? "timeout" : "unreachable",
      detail: timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : `${settings.apiBase} did not answer`,
    });
  } finally {
    clearTimeout(timer);
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  return toResult(response.status, payload);
}
