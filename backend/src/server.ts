// Entry point: read the configuration, wire the parts together, listen, and shut down
// gracefully on SIGTERM (ECS stopping the task) or SIGINT (Ctrl-C).

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serverProcess } from "@fargate-ai-stack/server-kit";
import { wireApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { MESSAGES } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
import { Redactor } from "./redact.js";
import { warmTokenizer } from "./tokens.js";

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) console.error(`config error: ${problem}`);
    process.exit(1);
  }
}

/** Starts the server from the environment. Exported for the benchmark's instrumented child. */
export async function main(): Promise<void> {
  const config = readConfig();
  const redactor = new Redactor();
  const logger: Logger = createLogger({ level: config.logLevel, redactor });
  const server = serverProcess(logger);
  const { app, keys, verifier, budgetsEnabled } = wireApp({
    config,
    logger,
    redactor,
    lifecycle: server.lifecycle,
  });
  // Before listening: loading the tokenizer blocks the event loop for a moment.
  if (budgetsEnabled) await warmTokenizer();
  const running = await server.listen({
    app,
    host: config.host,
    port: config.port,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  keys.warm();
  if (keys.source === "none") logger.warn(MESSAGES.keyMissing);
  if (!config.auth) logger.warn(MESSAGES.authDisabled);
  // The first signed-in request should not wait for the signing keys; a failure is retried then.
  verifier?.warm().catch((err: unknown) =>
    logger.warn("could not load the user pool's signing keys yet", {
      jwksUrl: config.auth?.jwksUrl,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    }),
  );
  logger.info("listening", {
    url: running.url,
    host: config.host,
    port: (running.server.address() as { port: number }).port,
    keySource: keys.source,
    secretId: config.openai.secretId,
    openaiBaseURL: config.openai.baseURL ?? "https://api.openai.com/v1",
    models: config.openai.models,
    defaultModel: config.openai.defaultModel,
    corsOrigins: config.corsOrigins,
    auth: config.auth
      ? { userPoolId: config.auth.userPoolId, clientId: config.auth.clientId, jwksUrl: config.auth.jwksUrl }
      : "disabled",
    budgetTable: config.budget.table,
    environment: config.budget.environmentName,
  });
}

function isMain(): boolean {
  try {
    const entry = process.argv[1];
    return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) await main();
