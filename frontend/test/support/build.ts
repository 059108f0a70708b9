import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { FRONTEND_DIR, SERVER_BUILD } from "./paths";

/**
 * `npm test` builds first; this covers running mocha on its own (e.g. from an editor) on a fresh checkout.
 */
export function ensureBuild(): void {
  if (existsSync(SERVER_BUILD)) return;
  const remixCli = createRequire(import.meta.url).resolve("@remix-run/dev/dist/cli.js");
  execFileSync(process.execPath, [remixCli, "vite:build"], { cwd: FRONTEND_DIR, stdio: "inherit" });
}
