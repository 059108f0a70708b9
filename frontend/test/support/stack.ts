import { existsSync } from "node:fs";
import path from "node:path";
import { startFakeOpenAI, type FakeOpenAI } from "@fargate-ai-stack/fake-openai";
import {
  answersOk,
  createTestBudgetTable,
  createTestUserPool,
  emulatorCredentials,
  freePort,
  spawnNode,
  startEmulator,
  TEST_PASSWORD,
  waitFor,
  type Emulator,
  type RunningProcess,
  type TestUserPool,
} from "@fargate-ai-stack/test-support";
import { ensureBuild } from "./build";
import { listeningUrl, spawnFrontend } from "./frontend-process";
import { REPO_ROOT } from "./paths";
import { TEST_SESSION_SECRET } from "./session";

export const BACKEND_ENTRY = path.join(REPO_ROOT, "backend/src/server.ts");
export const MODELS = ["gpt-4o-mini", "gpt-4o"];
/**
 * Small budgets, so a test can use one up. Every test signs in as a fresh user, so each starts with a full
 * budget; the environment's cap is out of reach.
 */
export const BUDGET = { userDailyTokens: 4000, maxCompletionTokens: 256, environmentDailyTokens: 10_000_000 };

export interface Account {
  email: string;
  password: string;
}

/**
 * The real frontend (production build, server.ts) → real backend → fake OpenAI, as in AWS, with Cognito and
 * the budgets table in the emulator.
 */
export interface Stack {
  fake: FakeOpenAI;
  frontendUrl: string;
  pool: TestUserPool;
  /** A new user with TEST_PASSWORD, or with a temporary password that must be changed at first sign-in. */
  newUser(options?: { temporary?: boolean }): Promise<Account>;
  stopBackend(): Promise<void>;
  startBackend(): Promise<void>;
  /** Output of the processes, for failure messages. */
  logs(): string;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  if (!existsSync(BACKEND_ENTRY)) throw new Error(`The backend is missing: ${BACKEND_ENTRY}`);
  ensureBuild();
  const emulator: Emulator = await startEmulator();
  let pool: TestUserPool;
  let tableName: string;
  try {
    pool = await createTestUserPool(emulator);
    tableName = (await createTestBudgetTable(emulator)).tableName;
  } catch (err) {
    await emulator.stop();
    throw err;
  }
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
        HEARTBEAT_INTERVAL_MS: "1000",
        ...emulatorCredentials,
        AWS_ENDPOINT_URL: emulator.url,
        AUTH_USER_POOL_ID: pool.poolId,
        AUTH_CLIENT_ID: pool.clientId,
        BUDGET_TABLE: tableName,
        BUDGET_USER_DAILY_TOKENS: String(BUDGET.userDailyTokens),
        BUDGET_ENVIRONMENT_DAILY_TOKENS: String(BUDGET.environmentDailyTokens),
        MAX_COMPLETION_TOKENS: String(BUDGET.maxCompletionTokens),
        ENVIRONMENT_NAME: "test",
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
    frontend = spawnFrontend({
      BACKEND_URL: `http://127.0.0.1:${backendPort}`,
      LOG_LEVEL: "info",
      AUTH_USER_POOL_ID: pool.poolId,
      AUTH_CLIENT_ID: pool.clientId,
      SESSION_SECRET: TEST_SESSION_SECRET,
      AWS_ENDPOINT_URL: emulator.url,
    });
    const frontendUrl = await listeningUrl(frontend, 30_000);
    let users = 0;
    return {
      fake,
      frontendUrl,
      pool,
      async newUser({ temporary = false } = {}) {
        users += 1;
        const email = `person${users}-${Date.now()}@example.com`;
        const password = temporary ? `Temporary-${users}-Pass!` : TEST_PASSWORD;
        await pool.addUser(email, password, { temporary });
        return { email, password };
      },
      startBackend,
      stopBackend,
      logs: () => [...history, backend?.output() ?? "", frontend?.output() ?? ""].join("\n"),
      async close() {
        await frontend?.stop();
        await stopBackend();
        await fake.close();
        await emulator.stop();
      },
    };
  } catch (err) {
    await frontend?.stop();
    await stopBackend();
    await fake.close();
    await emulator.stop();
    throw err;
  }
}
