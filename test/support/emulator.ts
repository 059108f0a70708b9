import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { repoRoot } from "./paths.js";

/** Credentials and region the emulator accepts; no real AWS account is involved. */
export const emulatorCredentials = {
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
  AWS_DEFAULT_REGION: "us-east-1",
} as const;

export interface Emulator {
  url: string;
  /** Environment that points the AWS SDKs, the AWS provider and the S3 backend at this emulator. */
  env: Record<string, string>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode} during start-up`);
    try {
      const response = await fetch(`${url}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Starts the project's moto launcher (scripts/moto/launcher.py, from the setup's virtualenv) on a free loopback
 * port, in its own process group so stop() leaves nothing behind.
 */
export async function startEmulator(extraEnv: Record<string, string> = {}): Promise<Emulator> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const python = path.join(repoRoot, ".tools", "venv", "bin", "python");
  const child = spawn(
    python,
    [path.join(repoRoot, "scripts", "moto", "launcher.py"), "-H", "127.0.0.1", "-p", String(port)],
    {
      env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: "1", ...extraEnv },
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    await waitUntilAnswering(url, child, 60_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return {
    url,
    env: { ...emulatorCredentials, AWS_ENDPOINT_URL: url },
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
