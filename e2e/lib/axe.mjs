// Accessibility scans with axe-core: serious and critical violations fail the test.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const FAILING_IMPACTS = new Set(["serious", "critical"]);
let axeSource;

/**
 * Scans the page as it is now. Throws, listing each rule and the elements it names, when any
 * violation is serious or critical; returns every violation otherwise.
 */
export async function axeScan(page, label = "page") {
  axeSource ??= await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy (which
  // admits no inline script) does not have to be loosened for the scan.
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      targets: nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
  });
  const failing = violations.filter((v) => FAILING_IMPACTS.has(v.impact));
  if (failing.length > 0) {
    const lines = failing.map((v) => `  ${v.impact} ${v.id}: ${v.help} — ${v.targets.join(", ")}`);
    throw new Error(`accessibility violations on ${label}:\n${lines.join("\n")}`);
  }
  return violations;
}
