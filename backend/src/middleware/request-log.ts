// One JSON line per request when it ends: id, method, path, status, duration, plus whatever
// the handler added (model, outcome, token counts). Probes log at debug: they arrive every
// few seconds from the load balancer and would drown everything else.

import type { RequestHandler } from "express";
import type { Logger } from "../logger.js";

const PROBES = new Set(["/healthz", "/readyz"]);

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    const probe = PROBES.has(path);
    // Probes are the most frequent requests; when their lines would be dropped, do no work at all.
    if (probe && !logger.isLevelEnabled("debug")) {
      next();
      return;
    }
    const started = performance.now();
    let logged = false;
    const done = (): void => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      const level = probe ? "debug" : status === 500 ? "error" : status >= 500 ? "warn" : "info";
      // winston formats every entry before the level filter; skip that work for dropped ones.
      if (!logger.isLevelEnabled(level)) return;
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
    res.once("close", () => {
      // A stream the client left is still winding down; log once its outcome is known.
      if (res.locals.settled) void res.locals.settled.then(done, done);
      else done();
    });
    next();
  };
}
