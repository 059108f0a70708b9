// One JSON line per request when it ends: id, method, path, status, duration, client address,
// plus whatever the handler added to res.locals.logFields. Quiet paths (load balancer probes,
// static files) log at debug: they arrive every few seconds and would drown everything else.

import type { Middleware } from "./http-types.js";
import type { Logger } from "./logger.js";

export interface AccessLogOptions {
  /** Paths logged at debug instead of by status; the default is the probes /healthz and /readyz. */
  isQuiet?: (path: string) => boolean;
}

const PROBES = new Set(["/healthz", "/readyz"]);

function levelFor(status: number): string {
  return status === 500 ? "error" : status >= 500 ? "warn" : "info";
}

export function accessLog(logger: Logger, options: AccessLogOptions = {}): Middleware {
  const isQuiet = options.isQuiet ?? ((path: string) => PROBES.has(path));
  return (req, res, next) => {
    // originalUrl, not path: inside a mounted router (e.g. /assets) req.path loses the mount prefix.
    const path = req.originalUrl.split("?")[0] ?? "/";
    const quiet = isQuiet(path);
    // Quiet requests are the most frequent; when their lines would be dropped, do no work at all.
    if (quiet && !logger.isLevelEnabled("debug")) {
      next();
      return;
    }
    const started = performance.now();
    let logged = false;
    const done = (): void => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      const level = quiet ? "debug" : levelFor(status);
      // winston formats every entry before the level filter; skip that work for dropped ones.
      if (!logger.isLevelEnabled(level)) return;
      logger.log(level, "request", {
        requestId: res.locals.requestId,
        method: req.method,
        path,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ip: req.ip,
        // A close before finish means the client left early (e.g. the user pressed Stop).
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
