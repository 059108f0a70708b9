import path from "node:path";
import { fileURLToPath } from "node:url";

export const FRONTEND_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const REPO_ROOT = path.dirname(FRONTEND_DIR);
export const SERVER_BUILD = path.join(FRONTEND_DIR, "build/server/index.js");
export const CLIENT_DIR = path.join(FRONTEND_DIR, "build/client");
/** Screenshots and other artifacts (git-ignored). */
export const RESULTS_DIR = path.join(REPO_ROOT, "test-results/frontend");
