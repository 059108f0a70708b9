// Entry point: read the configuration, wire the parts together, listen, and shut down
// gracefully on SIGTERM (ECS stopping the task) or SIGINT (Ctrl-C).

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { MESSAGES } from "./errors.js";
import { startHttpServer, type RunningServer } from "./http-server.js";
import { Lifecycle } from "./lifecycle.js";
import { createLogger, type Logger } from "./logger.js";
import { OpenAIUpstream } from "./openai.js";
import { Redactor } from "./redact.js";
import { createKeyProvider } from "./secrets.js";

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) console.error(`config error: ${problem}`);
    process.exit(1);
  }
}

/** Lets stdout drain so the last log lines are not lost on exit. */
function flushAndExit(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

/** Starts the server from the environment. Exported for the benchmark's instrumented child. */
export async function main(): Promise<void> {
  const config = readConfig();
  const redactor = new Redactor();
  const logger: Logger = createLogger({ level: config.logLevel, redactor });
  process.on("uncaughtException", (err) => {
    logger.error("uncaught exception", { err });
    flushAndExit(1);
  });
  process.on("unhandledRejection", (err) => {
    logger.error("unhandled promise rejection", { err });
    flushAndExit(1);
  });

  const lifecycle = new Lifecycle();
  let running: RunningServer | undefined = undefined;
  let signals = 0;
  // Installed before listening, so a signal that arrives during start-up is not fatal.
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (!running) {
      logger.info("signal before the server was listening; exiting", { signal });
      flushAndExit(0);
      return;
    }
    if (signals > 1) {
      // A second signal means "now": end the streams instead of waiting for them.
      logger.warn("second signal; ending streams now", { signal });
      lifecycle.abortAll();
      running.server.closeAllConnections();
      return;
    }
    running.shutdown(signal).then(
      () => flushAndExit(0),
      (err: unknown) => {
        logger.error("error during shutdown", { err });
        flushAndExit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  const keys = createKeyProvider(config, logger, redactor);
  const upstream = new OpenAIUpstream({
    baseURL: config.openai.baseURL,
    timeoutMs: config.openai.timeoutMs,
    maxRetries: config.openai.maxRetries,
    logger,
  });
  const app = createApp({ config, logger, keys, upstream, lifecycle });
  running = await startHttpServer({
    app,
    lifecycle,
    logger,
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
