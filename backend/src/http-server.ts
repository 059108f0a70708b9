// The HTTP server around the app: timeouts that suit the ALB, and graceful shutdown (stop
// accepting, let running streams finish until the deadline, then end them and close).

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import type { Lifecycle } from "./lifecycle.js";
import type { Logger } from "./logger.js";

export interface ServerOptions {
  app: Express;
  lifecycle: Lifecycle;
  logger: Logger;
  host: string;
  port: number;
  shutdownTimeoutMs: number;
}

export interface RunningServer {
  server: Server;
  /** http://host:port, with the port actually bound. */
  url: string;
  /** Idempotent; resolves once every connection is closed. */
  shutdown(reason: string): Promise<void>;
}

/** The ALB closes idle connections after 60 s; ours must outlive that so the ALB closes first. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const HEADERS_TIMEOUT_MS = 66_000;
/** Time to receive a whole request (not the streamed answer). */
const REQUEST_TIMEOUT_MS = 60_000;
/** After the streams are done, how long idle keep-alive connections get to go away by themselves. */
const CLOSE_GRACE_MS = 1000;

export async function startHttpServer(opts: ServerOptions): Promise<RunningServer> {
  const { app, lifecycle, logger } = opts;
  const server = createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    closing ??= (async () => {
      lifecycle.startDraining();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      logger.info("shutting down", { reason, activeStreams: lifecycle.activeStreams });
      if (!(await lifecycle.waitForStreams(opts.shutdownTimeoutMs))) {
        logger.warn("shutdown deadline reached; ending the remaining streams", {
          activeStreams: lifecycle.activeStreams,
          shutdownTimeoutMs: opts.shutdownTimeoutMs,
        });
        lifecycle.abortAll();
        await lifecycle.waitForStreams(CLOSE_GRACE_MS);
      }
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(timer);
      logger.info("server closed");
    })();
    return closing;
  };

  return { server, url, shutdown };
}
