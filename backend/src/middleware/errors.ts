// The last two handlers: 404 for unknown routes, and the one place that turns any error into
// the JSON error body. Only AppError messages reach clients; everything else is logged and
// answered as internal_error.

import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError, asAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { LIMITS } from "../validation.js";

export function notFound(): RequestHandler {
  return (req, _res, next) => {
    const path = (req.originalUrl.split("?")[0] ?? "/").slice(0, 200);
    next(new AppError("not_found", `no route for ${req.method} ${path}`));
  };
}

/** body-parser and Express mark their errors with `type` and `status`. */
function fromHttpError(err: unknown): AppError | undefined {
  if (err instanceof AppError || typeof err !== "object" || err === null) return undefined;
  const { type, status } = err as { type?: unknown; status?: unknown };
  switch (type) {
    case "entity.too.large":
      return new AppError("payload_too_large", `request body must be at most ${LIMITS.bodyBytes} bytes`);
    case "entity.parse.failed":
      return new AppError("invalid_json", "request body is not valid JSON");
    case "charset.unsupported":
      return new AppError("unsupported_media_type", "request body must be UTF-8 encoded JSON");
    case "encoding.unsupported":
      return new AppError("unsupported_media_type", "Content-Encoding must be identity, gzip, deflate or br");
    default:
      break;
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new AppError("invalid_request", "the request could not be read");
  }
  return undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appError = fromHttpError(err) ?? asAppError(err);
    if (appError.code === "internal_error") {
      logger.error("unhandled error", { requestId: res.locals.requestId, path: req.path, err });
    }
    res.locals.logFields.errorCode = appError.code;
    if (res.headersSent) {
      // Too late for a status; the stream handlers report their own errors.
      res.end();
      return;
    }
    if (appError.retryAfterSeconds !== undefined)
      res.setHeader("Retry-After", String(appError.retryAfterSeconds));
    for (const [name, value] of Object.entries(appError.headers ?? {})) res.setHeader(name, value);
    res.status(appError.status).json(appError.toBody());
  };
}
