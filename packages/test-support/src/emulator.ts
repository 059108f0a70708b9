/**
 * The moto AWS emulator, always started through the project's launcher (scripts/moto/launcher.py, run with the
 * setup's virtualenv as scripts/moto.sh does): it adds the handlers and fixes moto lacks, so every test sees the
 * same emulator as `npm start`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.js";
import { freePort } from "./ports.js";
import { answersOk, spawnProcess, waitFor } from "./process.js";

export const motoPython = path.join(repoRoot, ".tools", "venv", "bin", "python");
export const motoLauncher = path.join(repoRoot, "scripts", "moto", "launcher.py");

/** Credentials and region the emulator accepts; no real AWS account is involved. */
export const emulatorCredentials = {
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
  AWS_DEFAULT_REGION: "us-east-1",
} as const;

export interface EmulatorOptions {
  /** Address to listen on; default 127.0.0.1 (containers reach the host through their network's gateway). */
  host?: string;
  /** Default: a free port. */
  port?: number;
  /** Added to the emulator's environment (e.g. MOTO_* settings). */
  env?: Record<string, string>;
  /** How long start-up may take; default 60 s. */
  timeoutMs?: number;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Environment that points the AWS SDKs, the AWS provider and the S3 backend at this emulator. */
  env: Record<string, string>;
  /** The emulator's latest output, for failure messages. */
  output(): string;
  /** Clears all emulated state. */
  reset(): Promise<void>;
  /** Ends the emulator and everything it started. */
  stop(): Promise<void>;
}

/**
 * Whether an emulator answers at `url`. Asks for moto's small config document, not data.json: that one serialises
 * every emulated resource and, with an environment applied on a busy machine, takes longer than a probe waits.
 */
export function emulatorAnswers(url: string): Promise<boolean> {
  return answersOk(`${url}/moto-api/config`);
}

/** Starts the launcher on a free port (in its own process group) and resolves once it answers. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  if (!existsSync(motoPython))
    throw new Error(`moto is not installed (${motoPython}): run 'npm run setup' first`);
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? (await freePort(host));
  const url = `http://${host}:${port}`;
  const moto = spawnProcess(motoPython, [motoLauncher, "-H", host, "-p", String(port)], {
    // The same defaults as scripts/moto.sh; a setting in the environment wins.
    env: {
      MOTO_IAM_LOAD_MANAGED_POLICIES: "false",
      MOTO_ECS_SERVICE_RUNNING: "1",
      ...process.env,
      ...options.env,
    },
    group: true,
    keepChars: 4000,
  });
  const stop = () => moto.stop(5000);
  try {
    await waitFor(`moto at ${url}`, () => emulatorAnswers(url), {
      timeoutMs: options.timeoutMs ?? 60_000,
      process: moto,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    port,
    env: { ...emulatorCredentials, AWS_ENDPOINT_URL: url },
    output: () => moto.output(),
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, { method: "POST" });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`moto reset answered HTTP ${response.status}`);
    },
    stop,
  };
}
