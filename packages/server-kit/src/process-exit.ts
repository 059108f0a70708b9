// How a server process ends: gracefully on SIGTERM (ECS stopping the task) or SIGINT (Ctrl-C),
// at once on a second signal, and with exit 1 and a log line on an error nobody caught.

import { startHttpServer, type RunningServer, type ServerOptions } from "./http-server.js";
import { Lifecycle } from "./lifecycle.js";
import type { Logger } from "./logger.js";

/** Lets stdout drain so the last log lines are not lost on exit. */
export function flushAndExit(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

export function exitOnUncaughtErrors(logger: Logger): void {
  process.on("uncaughtException", (err) => {
    logger.error("uncaught exception", { err });
    flushAndExit(1);
  });
  process.on("unhandledRejection", (err) => {
    logger.error("unhandled promise rejection", { err });
    flushAndExit(1);
  });
}

export interface SignalOptions {
  logger: Logger;
  lifecycle: Lifecycle;
  /** The server once it listens; undefined before. */
  running: () => RunningServer | undefined;
}

/**
 * Install before listening, so a signal that arrives during start-up is not fatal. The first
 * signal drains and exits 0 (ECS records a clean stop); a second one means "now": the streams
 * are ended and every connection closed, and the drain finishes at once.
 */
export function shutdownOnSignals({ logger, lifecycle, running }: SignalOptions): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    const server = running();
    if (!server) {
      logger.info("signal before the server was listening; exiting", { signal });
      flushAndExit(0);
      return;
    }
    if (signals > 1) {
      logger.warn("second signal; ending streams now", { signal });
      lifecycle.abortAll();
      server.server.closeAllConnections();
      return;
    }
    server.shutdown(signal).then(
      () => {
        logger.info("stopped");
        flushAndExit(0);
      },
      (err: unknown) => {
        logger.error("error during shutdown", { err });
        flushAndExit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

export interface ServerProcess {
  /** Shared by the app (draining, streams) and the server. */
  lifecycle: Lifecycle;
  /** Listens (startHttpServer) and hands the server to the signal handlers. */
  listen(options: Omit<ServerOptions, "lifecycle" | "logger">): Promise<RunningServer>;
}

/**
 * What an entry point does before building its app: exit on an error nobody caught, and the signal handlers
 * (installed now, so a signal during start-up exits cleanly).
 */
export function serverProcess(logger: Logger): ServerProcess {
  exitOnUncaughtErrors(logger);
  const lifecycle = new Lifecycle();
  let running: RunningServer | undefined = undefined;
  shutdownOnSignals({ logger, lifecycle, running: () => running });
  return {
    lifecycle,
    async listen(options) {
      running = await startHttpServer({ ...options, lifecycle, logger });
      return running;
    },
  };
}
