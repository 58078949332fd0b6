import puppeteer from "puppeteer-core";
const browser = await puppeteer.launch({ browser: "firefox", executablePath: "/usr/bin/firefox-esr", headless: true });
for (let i = 0; i < 3; i++) {
const page = await browser.newPage();
const url = "http://127.0.0.1:8765/p.html";
try { await page.goto(url, { waitUntil: "load" }); console.log("goto ok"); }
catch (err) { console.log("goto failed:", String(err).slice(0, 80), await page.evaluate(() => document.documentURI)); }
await page.close();
}
await browser.close();
