import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, whatever directory mocha was started from. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const toolsBin = path.join(repoRoot, ".tools", "bin");
export const modulesDir = path.join(repoRoot, "modules");
export const liveDir = path.join(repoRoot, "live");
