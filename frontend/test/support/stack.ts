import { existsSync } from "node:fs";
import path from "node:path";
import { startFakeOpenAI, type FakeOpenAI } from "@fargate-ai-stack/fake-openai";
import { answersOk, freePort, spawnNode, waitFor, type RunningProcess } from "@fargate-ai-stack/test-support";
import { ensureBuild } from "./build";
import { listeningUrl, spawnFrontend } from "./frontend-process";
import { REPO_ROOT } from "./paths";

export const BACKEND_ENTRY = path.join(REPO_ROOT, "backend/src/server.ts");
export const MODELS = ["gpt-4o-mini", "gpt-4o"];

/** The real frontend (production build, server.ts) → real backend → fake OpenAI, as in AWS. */
export interface Stack {
  fake: FakeOpenAI;
  frontendUrl: string;
  stopBackend(): Promise<void>;
  startBackend(): Promise<void>;
  /** Output of the processes, for failure messages. */
  logs(): string;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  if (!existsSync(BACKEND_ENTRY)) throw new Error(`The backend is missing: ${BACKEND_ENTRY}`);
  ensureBuild();
  const fake = await startFakeOpenAI({ models: MODELS });
  // A fixed port, so the backend can come back where the frontend expects it after a stop.
  const backendPort = await freePort();
  let backend: RunningProcess | undefined;
  let frontend: RunningProcess | undefined;
  const history: string[] = [];

  const startBackend = async (): Promise<void> => {
    if (backend) return;
    const started = spawnNode(BACKEND_ENTRY, {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: String(backendPort),
        HOST: "127.0.0.1",
        OPENAI_API_KEY: "sk-test-frontend-browser-tests",
        OPENAI_BASE_URL: fake.url,
        OPENAI_MODELS: MODELS.join(","),
        // Fail fast on the scenarios the tests ask for instead of retrying them.
        OPENAI_MAX_RETRIES: "0",
        // Every browser in these tests shares one address; the limit itself is the backend's to test.
        RATE_LIMIT_PER_MINUTE: "0",
        HEARTBEAT_INTERVAL_MS: "1000",
        SHUTDOWN_TIMEOUT_SECONDS: "1",
        LOG_LEVEL: "warn",
      },
    });
    try {
      const health = `http://127.0.0.1:${backendPort}/healthz`;
      await waitFor(`backend ${health}`, () => answersOk(health), { process: started, intervalMs: 100 });
    } catch (err) {
      await started.stop();
      history.push(started.output());
      throw err;
    }
    backend = started;
  };
  const stopBackend = async (): Promise<void> => {
    if (!backend) return;
    await backend.stop();
    history.push(backend.output());
    backend = undefined;
  };

  try {
    await startBackend();
    frontend = spawnFrontend({ BACKEND_URL: `http://127.0.0.1:${backendPort}`, LOG_LEVEL: "info" });
    const frontendUrl = await listeningUrl(frontend, 30_000);
    return {
      fake,
      frontendUrl,
      startBackend,
      stopBackend,
      logs: () => [...history, backend?.output() ?? "", frontend?.output() ?? ""].join("\n"),
      async close() {
        await frontend?.stop();
        await stopBackend();
        await fake.close();
      },
    };
  } catch (err) {
    await frontend?.stop();
    await stopBackend();
    await fake.close();
    throw err;
  }
}
