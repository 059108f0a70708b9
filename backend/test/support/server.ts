// Starts the real app in-process on a loopback port, with the configuration parsed from an
// env map (so tests exercise config.ts too), logs captured in memory, and a fake upstream.

import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from "@fargate-ai-stack/fake-openai";
import { Lifecycle, startHttpServer, type RunningServer } from "@fargate-ai-stack/server-kit";
import { wireApp } from "../../src/app.js";
import type { TokenVerifier } from "../../src/auth.js";
import { DynamoBudgetStore } from "../../src/budget-store.js";
import { loadConfig, type Config } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/logger.js";
import type { ChatUpstream } from "../../src/openai.js";
import { Redactor } from "../../src/redact.js";
import type { KeyProvider } from "../../src/secrets.js";
import { createTestIdentity, type TestIdentity } from "./identity.js";
import { LogCapture } from "./logs.js";

export const TEST_KEY = "sk-test-0123456789abcdefghijklmnop";

export interface TestServer {
  url: string;
  config: Config;
  logs: LogCapture;
  logger: Logger;
  redactor: Redactor;
  keys: KeyProvider;
  lifecycle: Lifecycle;
  running: RunningServer;
  /** The pool, user and table the server signs in against (undefined with sign-in off). */
  identity: TestIdentity | undefined;
  /** The signed-in user's `authorization` header (empty with sign-in off). */
  auth: Record<string, string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Environment for loadConfig, on top of the test defaults; `undefined` removes a default. */
  env?: Record<string, string | undefined>;
  /** The upstream base URL; usually a FakeOpenAI's url. */
  fake?: FakeOpenAI;
  keys?: (ctx: { config: Config; logger: Logger; redactor: Redactor }) => KeyProvider;
  upstream?: ChatUpstream;
  /** Default: a fresh pool, user and table in the emulator; "disabled" runs with AUTH_DISABLED=true. */
  identity?: TestIdentity | "disabled";
  /** Instead of the configured pool's verifier (e.g. one with a different clock tolerance). */
  verifier?: (config: Config) => TokenVerifier;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const env: Record<string, string | undefined> = {
    PORT: "0",
    HOST: "127.0.0.1",
    OPENAI_API_KEY: TEST_KEY,
    OPENAI_MAX_RETRIES: "0",
    OPENAI_TIMEOUT_MS: "10000",
    LOG_LEVEL: "debug",
    SHUTDOWN_TIMEOUT_SECONDS: "5",
    ...(opts.fake ? { OPENAI_BASE_URL: opts.fake.url } : {}),
  };
  const identity = opts.identity === "disabled" ? undefined : (opts.identity ?? (await createTestIdentity()));
  Object.assign(env, identity ? identity.env : { AUTH_DISABLED: "true" }, opts.env);
  const config = loadConfig(env as NodeJS.ProcessEnv);
  const redactor = new Redactor();
  const logs = new LogCapture();
  const logger = createLogger({ level: config.logLevel, redactor, stream: logs });
  const lifecycle = new Lifecycle();
  const { app, keys } = wireApp({
    config,
    logger,
    redactor,
    lifecycle,
    keys: opts.keys?.({ config, logger, redactor }),
    upstream: opts.upstream,
    verifier: opts.verifier?.(config),
    // The table's own client: it points at the emulator without touching process.env.
    budgetStore:
      identity && config.budget.table
        ? new DynamoBudgetStore(identity.table.client, config.budget.table)
        : undefined,
  });
  const running = await startHttpServer({
    app,
    lifecycle,
    logger,
    host: config.host,
    port: config.port,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  return {
    url: running.url,
    config,
    logs,
    logger,
    redactor,
    keys,
    lifecycle,
    running,
    identity,
    auth: identity ? identity.user.headers : {},
    close: () => running.shutdown("test finished"),
  };
}

export interface FakeAndServer {
  fake: FakeOpenAI;
  server: TestServer;
}

/**
 * Mocha hooks for the enclosing describe: a fake OpenAI, reset before every test so no scenario leaks into
 * the next, and a test server that calls it. The fields are set once the `before` hook has run.
 */
export function useFakeAndServer(
  fakeOptions: FakeOpenAIOptions = {},
  serverOptions: Omit<TestServerOptions, "fake"> = {},
): FakeAndServer {
  const stack = {} as FakeAndServer;
  before(async function () {
    stack.fake = await startFakeOpenAI(fakeOptions);
    stack.server = await startTestServer({ ...serverOptions, fake: stack.fake });
  });
  beforeEach(function () {
    stack.fake.reset();
  });
  after(async function () {
    await stack.server?.close();
    await stack.fake?.close();
  });
  return stack;
}

export { startFakeOpenAI };
export type { FakeOpenAI };

/** Polls `predicate` on the event loop (no fixed sleeps); rejects after `timeoutMs`. */
export async function eventually(
  predicate: () => boolean,
  timeoutMs = 5000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Like eventually(), for a check that is itself asynchronous (an HTTP probe). */
export async function until(
  check: () => Promise<boolean>,
  timeoutMs = 5000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
