// Per-client request budget (by client IP; IPv6 clients by /56 network, the library's default),
// kept in memory: each instance counts on its own.

import type { RequestHandler, Request } from "express";
import { rateLimit, type RateLimitInfo } from "express-rate-limit";
import { AppError } from "../errors.js";

export function perClientRateLimit(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (req, _res, next) => {
      const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
      const resetMs = info?.resetTime ? info.resetTime.getTime() - Date.now() : 60_000;
      const seconds = Math.max(1, Math.ceil(resetMs / 1000));
      next(
        new AppError("rate_limited", `too many requests; retry in ${seconds} s`, {
          retryAfterSeconds: seconds,
        }),
      );
    },
  });
}
