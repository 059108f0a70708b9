// Builds the Express app from its dependencies, so tests can hand in their own logger, key
// provider or upstream. Middleware order matters: ids and logging first, then the probes
// (cheap, no browser headers), security headers and CORS, the rate limit before any body is read.

import { accessLog, Lifecycle, requestId } from "@fargate-ai-stack/server-kit";
import cors from "cors";
import express, { type Express } from "express";
import helmet from "helmet";
import type { Config } from "./config.js";
import { AppError, MESSAGES } from "./errors.js";
import type { Logger } from "./logger.js";
import { errorHandler, notFound } from "./middleware/errors.js";
import { jsonBody } from "./middleware/json-body.js";
import { perClientRateLimit } from "./middleware/rate-limit.js";
import { OpenAIUpstream, type ChatUpstream } from "./openai.js";
import type { Redactor } from "./redact.js";
import { chatHandler } from "./routes/chat.js";
import { addHealthRoutes } from "./routes/health.js";
import { modelsHandler } from "./routes/models.js";
import { createKeyProvider, type KeyProvider } from "./secrets.js";
import { chatRequestValidator, LIMITS } from "./validation.js";

export interface AppDeps {
  config: Config;
  logger: Logger;
  keys: KeyProvider;
  upstream: ChatUpstream;
  /** Shared with the HTTP server for graceful shutdown; one is made when not given. */
  lifecycle?: Lifecycle;
}

export function createApp(deps: AppDeps): Express {
  const { config, logger, keys, upstream } = deps;
  const lifecycle = deps.lifecycle ?? new Lifecycle();
  const app = express();

  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.set("etag", false);

  app.use(requestId());
  app.use(accessLog(logger));
  app.use((_req, res, next) => {
    // While draining, tell keep-alive clients to reconnect (to another task).
    if (lifecycle.draining) res.setHeader("Connection", "close");
    next();
  });
  // Probes first: the load balancer calls them every few seconds and needs no browser headers.
  addHealthRoutes(app, keys, lifecycle);
  app.use(helmet());
  app.use(
    cors({
      // Unknown origins get no CORS headers (the browser then blocks the response).
      origin: config.corsOrigins,
      methods: ["GET", "POST"],
      allowedHeaders: ["Content-Type", "X-Request-Id"],
      exposedHeaders: ["X-Request-Id", "Retry-After"],
      maxAge: 600,
    }),
  );

  app.get("/api/models", modelsHandler(config.openai));
  app.post(
    "/api/chat",
    (_req, _res, next) =>
      next(lifecycle.draining ? new AppError("shutting_down", MESSAGES.shuttingDown) : undefined),
    perClientRateLimit(config.rateLimitPerMinute),
    ...jsonBody(LIMITS.bodyBytes),
    chatHandler({
      config,
      logger,
      keys,
      upstream,
      lifecycle,
      validate: chatRequestValidator(config.openai.models),
    }),
  );

  app.use(notFound());
  app.use(errorHandler(logger));
  return app;
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
