import type { Server } from "node:http";
import type { Logger } from "./logger.js";

/** ECS sends SIGKILL 30 s after SIGTERM by default; finish in-flight replies within that window. */
const DEFAULT_GRACE_MS = 25_000;

export interface ShutdownState {
  shuttingDown: boolean;
}

/**
 * On SIGTERM/SIGINT: stop accepting connections, fail /healthz, let in-flight requests (including
 * streaming replies) finish, close idle keep-alive sockets, and force-close whatever is left after the grace
 * period. Exits 0 so ECS records a clean stop.
 */
export function installGracefulShutdown(
  server: Server,
  logger: Logger,
  state: ShutdownState,
  graceMs = DEFAULT_GRACE_MS,
): void {
  const shutdown = (signal: NodeJS.Signals): void => {
    if (state.shuttingDown) return;
    state.shuttingDown = true;
    logger.info("shutting down", { signal, graceMs });

    const forceTimer = setTimeout(() => {
      logger.warn("grace period over, closing remaining connections");
      server.closeAllConnections();
    }, graceMs);
    // Connections become idle as their responses finish; close them promptly instead of waiting 65 s.
    const idleTimer = setInterval(() => server.closeIdleConnections(), 250);

    server.close((err) => {
      clearTimeout(forceTimer);
      clearInterval(idleTimer);
      if (err) logger.error("error while closing server", { err });
      logger.info("stopped");
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
