// Screenshots kept as test artifacts: target/e2e/screenshots/<name>.png.

import { mkdir } from "node:fs/promises";
import path from "node:path";

import { SCREENSHOTS_DIR } from "./paths.mjs";

/** Saves a full-page screenshot as `<name>.png` and returns its path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
