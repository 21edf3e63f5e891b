// Where the browser tests find the repository and put what they produce.

import path from "node:path";
import { fileURLToPath } from "node:url";

export const E2E_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SPECS_DIR = path.join(E2E_DIR, "specs");
export const REPO_DIR = path.dirname(E2E_DIR);
export const SCREENSHOTS_DIR = path.join(REPO_DIR, "target", "e2e", "screenshots");
