// One JSON line per request when it ends: id, method, path, status, duration, plus whatever
// the handler added (model, outcome, token counts). Probes log at debug: they arrive every
// few seconds from the load balancer and would drown everything else.

import type { RequestHandler } from "express";
import type { Logger } from "../logger.js";

const PROBES = new Set(["/healthz", "/readyz"]);

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    let logged = false;
    const done = (): void => {
      if (logged) return;
      logged = true;
      const path = req.originalUrl.split("?")[0] ?? "/";
      const status = res.statusCode;
      const level = PROBES.has(path) ? "debug" : status === 500 ? "error" : status >= 500 ? "warn" : "info";
      logger.log(level, "request", {
        requestId: res.locals.requestId,
        method: req.method,
        path,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ip: req.ip,
        ...(res.writableFinished ? {} : { clientClosed: true }),
        ...res.locals.logFields,
      });
    };
    res.once("finish", done);
    res.once("close", done);
    next();
  };
}
