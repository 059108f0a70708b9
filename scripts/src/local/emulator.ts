/**
 * The AWS API emulator (moto): the project's own (scripts/moto.sh, which `npm start` runs and the other
 * commands find through its session), or a fresh one on a free loopback port for a measurement.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../lib/environments.js";
import { freePort } from "@fargate-ai-stack/test-support";
import { run, startDaemon, waitFor, type Daemon } from "../lib/process.js";

const motoScript = path.join(repoRoot, "scripts", "moto.sh");

/** Starts the project's emulator (scripts/moto.sh start) and returns its endpoint URL. */
export async function startProjectEmulator(): Promise<string> {
  const result = await run("bash", [motoScript, "start"]);
  if (result.code !== 0) throw new Error(`the AWS emulator did not start: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

export async function stopProjectEmulator(): Promise<void> {
  await run("bash", [motoScript, "stop"]);
}

export interface Emulator {
  url: string;
  /** Forgets every resource (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** A fresh emulator of its own, from the setup's virtualenv (scripts/moto/launcher.py). */
export async function startFreshEmulator(): Promise<Emulator> {
  const python = path.join(repoRoot, ".tools", "venv", "bin", "python");
  if (!existsSync(python)) throw new Error("moto is not installed: run 'npm run setup' first");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const daemon: Daemon = startDaemon(
    python,
    [path.join(repoRoot, "scripts", "moto", "launcher.py"), "-H", "127.0.0.1", "-p", String(port)],
    { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "false", MOTO_ECS_SERVICE_RUNNING: "1" },
  );
  try {
    await waitFor("moto", daemon, async () => (await fetch(`${url}/moto-api/data.json`)).ok, 60_000);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return {
    url,
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    stop: () => daemon.stop(),
  };
}
