// Runs the browser tests: every exported async function of every e2e/specs/*.mjs is one test,
// given a fresh browser context. Debian's Chromium is driven by playwright-core.
//
//   BASE_URL=http://127.0.0.1:3000 node e2e/run.mjs [spec-or-test-name …]
//
// A test receives { page, context, browser, baseUrl, check, shoot, newContext, log }:
// check(page, name) scans the page with axe-core (serious or critical violations fail),
// shoot(page, name) saves target/e2e/screenshots/<spec>-<name>.png.

import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { axeScan } from "./lib/axe.mjs";
import { SPECS_DIR } from "./lib/paths.mjs";
import { screenshot } from "./lib/screenshot.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** How long one test may take before it is failed. */
const TEST_TIMEOUT_MS = Number(process.env.E2E_TEST_TIMEOUT_MS ?? 180_000);
/** How long one action or wait inside a test may take. */
const STEP_TIMEOUT_MS = 30_000;
/** A visitor from Poland, on a laptop. */
const CONTEXT_DEFAULTS = { locale: "pl-PL", viewport: { width: 1280, height: 800 } };

async function loadPlaywright() {
  try {
    return await import("playwright-core");
  } catch (error) {
    console.error(`playwright-core is not installed (${error.message}).\nInstall it with: npm ci --prefix e2e`);
    process.exit(2);
  }
}

/** The tests to run: [{ spec, name, run }], optionally only those named on the command line. */
async function collectTests(filters) {
  const files = (await readdir(SPECS_DIR)).filter((f) => f.endsWith(".mjs")).sort();
  const tests = [];
  for (const file of files) {
    const spec = path.basename(file, ".mjs");
    const module = await import(pathToFileURL(path.join(SPECS_DIR, file)).href);
    for (const [name, run] of Object.entries(module)) {
      if (typeof run !== "function") continue;
      if (filters.length && !filters.some((f) => f === spec || f === name || f === `${spec}/${name}`)) continue;
      tests.push({ spec, name, run });
    }
  }
  return tests;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one test in its own context; the error, or null when it passed. */
async function runTest(browser, baseUrl, { spec, name, run }) {
  const contexts = [];
  const log = (...args) => console.log(`  [${spec}/${name}]`, ...args);
  const newContext = async (options = {}) => {
    const context = await browser.newContext({ ...CONTEXT_DEFAULTS, ...options });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    contexts.push(context);
    return context;
  };
  const context = await newContext();
  const page = await context.newPage();
  page.on("pageerror", (error) => log(`page error: ${error.message}`));
  page.on("console", (message) => {
    // Failed requests (a 401 from /auth/me for a visitor) show up as responses, not here.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      log(`console error: ${message.text()}`);
    }
  });
  try {
    await withTimeout(
      run({
        page,
        context,
        browser,
        baseUrl,
        newContext,
        log,
        check: (target, label) => axeScan(target, `${spec}/${label}`),
        shoot: (target, label) => screenshot(target, `${spec}-${label}`),
      }),
      TEST_TIMEOUT_MS,
      `${spec}/${name}`,
    );
    return null;
  } catch (error) {
    await screenshot(page, `${spec}-${name}-failure`).catch(() => {});
    return error;
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  }
}

async function main() {
  const baseUrl = process.env.BASE_URL?.replace(/\/$/, "");
  if (!baseUrl) {
    console.error("Set BASE_URL to the address of a running server, e.g. BASE_URL=http://127.0.0.1:3000");
    process.exit(2);
  }
  const { chromium } = await loadPlaywright();
  const tests = await collectTests(process.argv.slice(2));
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    console.error(`Chromium could not be started from ${CHROMIUM} (${error.message.split("\n")[0]}).`);
    console.error("Install it with: apt-get update && apt-get install -y chromium");
    process.exit(2);
  }
  let passed = 0;
  let failed = 0;
  try {
    for (const test of tests) {
      const started = Date.now();
      const error = await runTest(browser, baseUrl, test);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (error) {
        failed += 1;
        console.log(`FAIL ${test.spec}/${test.name} (${seconds} s)\n${error.stack ?? error}`);
      } else {
        passed += 1;
        console.log(`ok   ${test.spec}/${test.name} (${seconds} s)`);
      }
    }
  } finally {
    await browser.close();
  }
  if (tests.length === 0) console.log("no browser test matched");
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || tests.length === 0 ? 1 : 0;
}

await main();
