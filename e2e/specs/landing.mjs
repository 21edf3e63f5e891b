// The landing page, as a first-time visitor from Poland sees it: Polish by default, a
// language switch to English that is remembered, usable without JavaScript, no serious
// accessibility problem, and fast on a slow mobile network.

import assert from "node:assert/strict";

import { throttle } from "../lib/network.mjs";

/** The page's budget on DevTools' Fast 3G profile. */
const BUDGET = { bytes: 100_000, startVisibleMs: 1000 };

const startLink = (page, name) => page.getByRole("main").getByRole("link", { name }).first();

async function languageCookie(context) {
  return (await context.cookies()).find((c) => c.name === "pf_lang")?.value;
}

export async function landing({ page, context, baseUrl, check, shoot }) {
  await page.goto(`${baseUrl}/`);
  assert.equal(await page.locator("html").getAttribute("lang"), "pl");
  await page.getByRole("heading", { level: 1, name: "Prezent, który naprawdę trafi" }).waitFor();
  assert.equal(await startLink(page, "Zacznij szukać").getAttribute("href"), "/start");
  assert.equal(await page.getByRole("main").getByRole("listitem").filter({ has: page.locator("h3") }).count(), 4);
  assert.match(await page.title(), /Present Finder/);
  await page.waitForFunction(() => document.documentElement.dataset.app === "ready");
  await check(page, "pl");
  await shoot(page, "pl");

  // Switch to English: the choice is kept in the pf_lang cookie.
  const english = page.getByRole("link", { name: "English" });
  assert.equal(await english.getAttribute("hreflang"), "en");
  assert.equal(await page.getByRole("link", { name: "Polski" }).getAttribute("aria-current"), "true");
  await english.click();
  await page.waitForFunction(() => document.documentElement.lang === "en");
  await page.getByRole("heading", { level: 1, name: "A gift that truly fits" }).waitFor();
  assert.equal(await languageCookie(context), "en");
  await page.goto(`${baseUrl}/`);
  assert.equal(await page.locator("html").getAttribute("lang"), "en", "English is remembered");
  assert.equal(await page.getByRole("link", { name: "English" }).getAttribute("aria-current"), "true");
  await page.waitForFunction(() => document.documentElement.dataset.app === "ready");
  await check(page, "en");
  await shoot(page, "en");

  // A phone-sized screen.
  await page.setViewportSize({ width: 375, height: 740 });
  await startLink(page, "Start searching").waitFor();
  await shoot(page, "en-mobile");

  await page.getByRole("link", { name: "Polski" }).click();
  await page.waitForFunction(() => document.documentElement.lang === "pl");
  assert.equal(await languageCookie(context), "pl");
}

export async function landingWithoutJavaScript({ baseUrl, newContext, shoot }) {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await page.getByRole("link", { name: "English" }).click();
  await page.getByRole("heading", { level: 1, name: "A gift that truly fits" }).waitFor();
  assert.equal(await languageCookie(context), "en", "the server sets the cookie");
  await shoot(page, "no-js-en");
  await startLink(page, "Start searching").click();
  await page.waitForURL(`${baseUrl}/start`);
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.equal(await page.getByRole("navigation").getByRole("link", { name: "Search" }).getAttribute("aria-current"), "page");
}

/**
 * Runs in the page before its own scripts: records when the Start link is first visible,
 * on screen and not covered (checked before each frame is painted), and when the app has
 * booted (`data-app="ready"` on <html>). Times are from the start of the navigation.
 */
function recordMilestones() {
  const startUsable = () => {
    const link = document.querySelector("main a.start-link");
    if (!link?.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const box = link.getBoundingClientRect();
    const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
    if (box.width === 0 || y > window.innerHeight) return false;
    const top = document.elementFromPoint(x, y);
    return Boolean(top && link.contains(top));
  };
  const beforeEachFrame = () => {
    if (startUsable()) window.__startUsableAt = performance.now();
    else requestAnimationFrame(beforeEachFrame);
  };
  requestAnimationFrame(beforeEachFrame);
  // The init script runs before <html> exists: the whole document is observed.
  new MutationObserver((_, observer) => {
    if (document.documentElement?.dataset.app === "ready") {
      window.__appReadyAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-app"] });
}

export async function landingOnFast3G({ page, baseUrl, log }) {
  await page.addInitScript(recordMilestones);
  const network = await throttle(page);
  await page.goto(`${baseUrl}/`);
  const startVisibleMs = await page.waitForFunction(() => window.__startUsableAt).then((h) => h.jsonValue());
  const hasApp = (await page.locator("script[type=module][src^='/assets/js/main.']").count()) > 0;
  const appReadyMs = hasApp ? await page.waitForFunction(() => window.__appReadyAt).then((h) => h.jsonValue()) : null;
  await page.waitForLoadState("networkidle");
  const { total, byType, requests } = network.transferred();
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const types = Object.entries(byType)
    .map(([type, bytes]) => `${type} ${kb(bytes)}`)
    .join(", ");
  log(`Fast 3G: first page ${kb(total)} (${total} B) in ${requests.length} requests (${types}), images aside`);
  log(`Fast 3G: Start link visible and clickable after ${Math.round(startVisibleMs)} ms`);
  log(`Fast 3G: app booted after ${appReadyMs === null ? "n/a (no main.js)" : `${Math.round(appReadyMs)} ms`}`);
  assert.ok(total < BUDGET.bytes, `the first page costs ${total} B, over ${BUDGET.bytes} B`);
  assert.ok(
    startVisibleMs < BUDGET.startVisibleMs,
    `the Start link became usable after ${Math.round(startVisibleMs)} ms, over ${BUDGET.startVisibleMs} ms`,
  );
}
