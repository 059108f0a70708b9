/**
 * What a running `npm start` (or `npm run services`) publishes (.run/local/session.json) so that the other commands can use its
 * emulator and registry.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "./environments.js";

export interface LocalSession {
  pid: number;
  endpoint: string;
  registry: string;
  dockerHost: string;
  env: Record<string, string>;
}

export const sessionFile = path.join(repoRoot, ".run", "local", "session.json");

/** The shell file `npm run services` writes for a second terminal to source (its exports and tool settings). */
export const servicesEnvFile = path.join(repoRoot, ".run", "local", "services.env");

export async function writeSession(session: LocalSession): Promise<void> {
  await mkdir(path.dirname(sessionFile), { recursive: true });
  await writeFile(sessionFile, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
}

export async function removeSession(): Promise<void> {
  await rm(sessionFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The session of a `npm start` that still runs, if any. */
export function readSession(): LocalSession | undefined {
  if (!existsSync(sessionFile)) return undefined;
  try {
    const session = JSON.parse(readFileSync(sessionFile, "utf8")) as LocalSession;
    return isAlive(session.pid) ? session : undefined;
  } catch {
    return undefined;
  }
}
