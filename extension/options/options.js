// Options page: reads settings with their defaults, saves them, and asks for the permissions
// the choices need (the API's origin; site access for the automatic mode).

import { DEFAULTS, normalize } from "../background/settings.js";
import "../shared/sites.js";

const { parseSiteList } = globalThis.credlens.sites;

const ext = globalThis.browser ?? globalThis.chrome;
const form = document.getElementById("options");
const status = document.getElementById("status");

async function load() {
  const s = normalize(await ext.storage.sync.get(DEFAULTS));
  form.apiBase.value = s.apiBase;
  form.apiKey.value = s.apiKey;
  for (const radio of form.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === s.mode;
  form.disabledSites.value = s.disabledSites.join("\n");
  form.history.checked = s.history;
}

function originPattern(url) {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const chosen = form.querySelector('input[name="mode"]:checked');
  const settings = normalize({
    apiBase: form.apiBase.value,
    apiKey: form.apiKey.value,
    mode: chosen ? chosen.value : DEFAULTS.mode,
    disabledSites: parseSiteList(form.disabledSites.value),
    history: form.history.checked,
  });
  await ext.storage.sync.set(settings);
  // Permissions are asked for from the click that saves (a user gesture).
  const origins = [originPattern(settings.apiBase)];
  if (settings.mode === "auto") origins.push("http://*/*", "https://*/*");
  let granted = true;
  try {
    granted = (await ext.permissions.contains({ origins })) || (await ext.permissions.request({ origins }));
  } catch {
    granted = false;
  }
  status.textContent = granted
    ? "Saved."
    : "Saved, but access was not granted: automatic mode and a remote API need it.";
  form.apiBase.value = settings.apiBase;
  form.disabledSites.value = settings.disabledSites.join("\n");
});

load();
