// Builds the Express app from its dependencies, so tests can hand in their own logger, key
// provider, upstream, token verifier or budget table. Middleware order matters: ids and logging
// first, then the probes (cheap, no browser headers, no token), security headers and CORS, then
// sign-in for everything under /api before any body is read.

import { accessLog, Lifecycle, requestId } from "@fargate-ai-stack/server-kit";
import cors from "cors";
import express, { type Express } from "express";
import helmet from "helmet";
import { createTokenVerifier, type TokenVerifier } from "./auth.js";
import { DynamoBudgetStore, type BudgetStore } from "./budget-store.js";
import { Budgets } from "./budgets.js";
import type { Config } from "./config.js";
import { AppError, MESSAGES } from "./errors.js";
import type { Logger } from "./logger.js";
import { errorHandler, notFound } from "./middleware/errors.js";
import { requireUser } from "./middleware/auth.js";
import { jsonBody } from "./middleware/json-body.js";
import { ChatMetrics } from "./metrics.js";
import { OpenAIUpstream, type ChatUpstream } from "./openai.js";
import type { Redactor } from "./redact.js";
import { budgetHandler } from "./routes/budget.js";
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
  /** Absent when sign-in is off (AUTH_DISABLED=true). */
  verifier: TokenVerifier | undefined;
  budgets: Budgets;
  /** Shared with the HTTP server for graceful shutdown; one is made when not given. */
  lifecycle?: Lifecycle;
}

export function createApp(deps: AppDeps): Express {
  const { config, logger, keys, upstream, verifier, budgets } = deps;
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
      allowedHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
      exposedHeaders: ["X-Request-Id", "Retry-After"],
      maxAge: 600,
    }),
  );

  // Every /api/* path, known or not, needs a valid token: no route is answered anonymously.
  app.use("/api", requireUser(verifier, logger));
  app.get("/api/models", modelsHandler(config.openai));
  app.get("/api/budget", budgetHandler(budgets));
  app.post(
    "/api/chat",
    (_req, _res, next) =>
      next(lifecycle.draining ? new AppError("shutting_down", MESSAGES.shuttingDown) : undefined),
    ...jsonBody(LIMITS.bodyBytes),
    chatHandler({
      config,
      logger,
      keys,
      upstream,
      lifecycle,
      validate: chatRequestValidator(config.openai.models),
      budgets,
      metrics: new ChatMetrics(logger, config.budget.environmentName),
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
  /** Default: the configured pool's verifier (none when sign-in is off). */
  verifier?: TokenVerifier;
  /** Default: the configured DynamoDB table through a client from the environment (none without a table). */
  budgetStore?: BudgetStore;
}

export interface WiredApp {
  app: Express;
  keys: KeyProvider;
  verifier: TokenVerifier | undefined;
  /** False when nothing is counted (sign-in off and no BUDGET_TABLE). */
  budgetsEnabled: boolean;
}

/** The parts wired together from the configuration (tests hand in their own key provider, upstream, verifier or table). */
export function wireApp(options: WireOptions): WiredApp {
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
  const verifier = options.verifier ?? (config.auth ? createTokenVerifier(config.auth) : undefined);
  const { table } = config.budget;
  const budgetStore =
    options.budgetStore ??
    (table === undefined
      ? undefined
      : new DynamoBudgetStore(DynamoBudgetStore.client(config.auth?.region), table));
  const budgets = new Budgets({ config: config.budget, store: budgetStore, logger });
  return {
    app: createApp({ config, logger, keys, upstream, verifier, budgets, lifecycle }),
    keys,
    verifier,
    budgetsEnabled: budgets.enabled,
  };
}
