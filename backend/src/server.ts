// Entry point: read the configuration, wire the parts together, listen, and shut down
// gracefully on SIGTERM (ECS stopping the task) or SIGINT (Ctrl-C).

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serverProcess, type Lifecycle } from "@fargate-ai-stack/server-kit";
import type { Express } from "express";
import { createApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { MESSAGES } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
import { OpenAIUpstream, type ChatUpstream } from "./openai.js";
import { Redactor } from "./redact.js";
import { createKeyProvider, type KeyProvider } from "./secrets.js";

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) console.error(`config error: ${problem}`);
    process.exit(1);
  }
}

export interface WireOptions {
  config: Config;
  logger: Logger;
  redactor: Redactor;
  lifecycle: Lifecycle;
  /** Default: the key provider the configuration asks for. */
  keys?: KeyProvider;
  /** Default: the OpenAI API at the configured base URL. */
  upstream?: ChatUpstream;
}

/** The parts wired together from the configuration (tests hand in their own key provider or upstream). */
export function wireApp(options: WireOptions): { app: Express; keys: KeyProvider } {
  const { config, logger, redactor, lifecycle } = options;
  const keys = options.keys ?? createKeyProvider(config, logger, redactor);
  const upstream =
    options.upstream ??
    new OpenAIUpstream({
      baseURL: config.openai.baseURL,
      timeoutMs: config.openai.timeoutMs,
      maxRetries: config.openai.maxRetries,
      logger,
    });
  return { app: createApp({ config, logger, keys, upstream, lifecycle }), keys };
}

/** Starts the server from the environment. Exported for the benchmark's instrumented child. */
export async function main(): Promise<void> {
  const config = readConfig();
  const redactor = new Redactor();
  const logger: Logger = createLogger({ level: config.logLevel, redactor });
  const server = serverProcess(logger);
  const { app, keys } = wireApp({ config, logger, redactor, lifecycle: server.lifecycle });
  const running = await server.listen({
    app,
    host: config.host,
    port: config.port,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  keys.warm();
  if (keys.source === "none") logger.warn(MESSAGES.keyMissing);
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
