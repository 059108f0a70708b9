// The HTTP server around an app: timeouts that suit the ALB, and graceful shutdown (stop
// accepting, let running requests and streams finish until the deadline, then end the streams
// and close every connection).

import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Lifecycle } from "./lifecycle.js";
import type { Logger } from "./logger.js";

export interface ServerOptions {
  app: RequestListener;
  lifecycle: Lifecycle;
  logger: Logger;
  host: string;
  port: number;
  /** How long running requests get after SIGTERM; ECS sends SIGKILL 30 s after it by default. */
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
/** Must exceed the keep-alive timeout, or Node may drop a reused connection mid-request. */
export const HEADERS_TIMEOUT_MS = 66_000;
/** Time to receive a whole request (not the streamed answer). */
const REQUEST_TIMEOUT_MS = 60_000;
/** After the deadline, how long ended streams and idle connections get to go away by themselves. */
const CLOSE_GRACE_MS = 1000;
/** While draining, connections become idle as their responses finish; close them promptly. */
const IDLE_SWEEP_MS = 250;

export async function startHttpServer(opts: ServerOptions): Promise<RunningServer> {
  const server = createServer(opts.app);
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
    closing ??= drain(server, opts, reason);
    return closing;
  };
  return { server, url, shutdown };
}

async function drain(server: Server, opts: ServerOptions, reason: string): Promise<void> {
  const { lifecycle, logger, shutdownTimeoutMs } = opts;
  lifecycle.startDraining();
  const closed = new Promise<void>((resolve) =>
    server.close((err) => {
      if (err) logger.error("error while closing server", { err });
      resolve();
    }),
  );
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  logger.info("shutting down", { reason, activeStreams: lifecycle.activeStreams, shutdownTimeoutMs });
  try {
    if (await settlesWithin(closed, shutdownTimeoutMs)) return;
    logger.warn("shutdown deadline reached; ending the remaining streams", {
      activeStreams: lifecycle.activeStreams,
      shutdownTimeoutMs,
    });
    lifecycle.abortAll();
    await lifecycle.waitForStreams(CLOSE_GRACE_MS);
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    await closed;
    clearTimeout(force);
  } finally {
    clearInterval(sweep);
    logger.info("server closed");
  }
}

/** True when `promise` settles within `ms`, false when the time ran out first. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
