import { accessLog, requestId } from "@fargate-ai-stack/server-kit";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import type { ViteDevServer } from "vite";
import { compressionExceptEventStreams } from "./compression.js";
import { healthz } from "./health.js";
import type { AuthConfig } from "./config.js";
import type { Logger } from "./logger.js";
import { sameOriginWrites } from "./same-origin.js";
import { cspNonce, securityHeaders } from "./security.js";
import { staticFiles } from "./static.js";

export interface AppOptions {
  backendUrl: string;
  auth: AuthConfig;
  logger: Logger;
  production: boolean;
  /** The Remix server build (production) or a loader for it (development, through Vite). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Directory with the built client files; required in production. */
  clientDir?: string;
  /** Vite dev server in middleware mode; development only. */
  vite?: ViteDevServer;
  isShuttingDown?: () => boolean;
}

/** Builds the Express app: health check, security headers, compression, static files, then Remix. */
export function createApp(options: AppOptions): Express {
  const { backendUrl, auth, logger, production, build, clientDir, vite } = options;
  const isShuttingDown = options.isShuttingDown ?? (() => false);
  const app = express();

  app.disable("x-powered-by");
  // One proxy hop (the ALB): gives Remix the right protocol/host and the logs the client address. The
  // protocol (X-Forwarded-Proto) decides whether session cookies are Secure with the __Host- prefix.
  app.set("trust proxy", 1);

  app.use(requestId());
  app.use(accessLog(logger, { isQuiet: isPolledOrStatic }));
  app.use(closeConnectionsWhileDraining(isShuttingDown));
  app.get("/healthz", healthz(isShuttingDown));
  app.use(cspNonce);
  app.use(securityHeaders(production));
  app.use(compressionExceptEventStreams());
  app.use(sameOriginWrites);

  if (vite) {
    app.use(vite.middlewares);
  } else if (clientDir) {
    app.use(staticFiles(clientDir));
  }

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: production ? "production" : "development",
      getLoadContext: (req, res) => ({
        backendUrl,
        auth,
        clientIp: req.ip,
        logger,
        requestId: res.locals.requestId,
        cspNonce: production ? (res.locals.cspNonce as string) : undefined,
      }),
    }),
  );

  app.use(errorHandler(logger));
  return app;
}

/** Polled by the load balancer or served as static files: logged at debug to keep the logs useful. */
function isPolledOrStatic(path: string): boolean {
  return path === "/healthz" || path.startsWith("/assets/") || path === "/favicon.svg";
}

/** During a graceful shutdown, ask keep-alive clients (the ALB) to open new connections elsewhere. */
function closeConnectionsWhileDraining(isShuttingDown: () => boolean): RequestHandler {
  return (_req, res, next) => {
    if (isShuttingDown()) res.setHeader("Connection", "close");
    next();
  };
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const requestId = res.locals.requestId;
    if (res.headersSent) {
      // Mostly a client that left mid-stream (Stop, closed tab): already logged as aborted by the access log.
      logger.debug("response ended early", { requestId, path: req.originalUrl, err });
      res.destroy();
      return;
    }
    const status = (err as { status?: unknown }).status;
    const httpStatus = typeof status === "number" && status >= 400 && status < 600 ? status : 500;
    if (httpStatus >= 500) logger.error("unhandled error", { requestId, path: req.originalUrl, err });
    res
      .status(httpStatus)
      .type("text/plain")
      .send(httpStatus === 404 ? "Not found" : "Internal server error");
  };
}
