// A Secrets Manager emulator for the tests: the moto server named by AWS_ENDPOINT_URL when it
// answers (scripts/moto.sh starts one), otherwise one we start on a free loopback port from
// $MOTO_SERVER, .tools/venv/bin/moto_server, or moto_server on PATH, and stop afterwards.

import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export const TEST_REGION = "us-east-1";
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export interface Moto {
  endpoint: string;
  /** A real SDK client pointed at the emulator. */
  client(): SecretsManagerClient;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findMotoServer(): string | undefined {
  const candidates = [
    process.env.MOTO_SERVER,
    join(REPO_ROOT, ".tools/venv/bin/moto_server"),
    ...(process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "moto_server")),
  ];
  return candidates.find((p): p is string => p !== undefined && p !== "" && executable(p));
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function wrap(endpoint: string, stop: () => Promise<void>): Moto {
  return {
    endpoint,
    client: () =>
      new SecretsManagerClient({
        endpoint,
        region: TEST_REGION,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
      }),
    reset: async () => {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`moto reset answered HTTP ${res.status}`);
    },
    stop,
  };
}

async function spawnMoto(bin: string): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "false" },
  });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null) throw new Error(`moto_server exited during start-up:\n${stderr}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return wrap(endpoint, stop);
}

/** Shared by all test files: started on first use, stopped by the root hook. */
let shared: Promise<Moto> | undefined;

export function useMoto(): Promise<Moto> {
  shared ??= (async () => {
    const given = process.env.AWS_ENDPOINT_URL;
    if (given && (await answers(given))) return wrap(given.replace(/\/+$/, ""), async () => {});
    const bin = findMotoServer();
    if (!bin) {
      throw new Error(
        "no Secrets Manager emulator: set AWS_ENDPOINT_URL to a running moto server, or install moto (npm run setup) so moto_server is found",
      );
    }
    return spawnMoto(bin);
  })();
  return shared;
}

export async function stopMoto(): Promise<void> {
  if (!shared) return;
  const moto = await shared.catch(() => undefined);
  shared = undefined;
  await moto?.stop();
}
