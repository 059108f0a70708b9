import type { RequestHandler } from "express";
import type { Logger } from "./logger.js";

/** Paths polled by load balancers or served as static files are logged at debug level to keep logs useful. */
function isNoisy(path: string): boolean {
  return path === "/healthz" || path.startsWith("/assets/") || path === "/favicon.svg";
}

/** One JSON line per request once the response is finished or the client went away. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let logged = false;
    // originalUrl, not path: inside a mounted router (e.g. /assets) req.path loses the mount prefix.
    const path = req.originalUrl.split("?")[0] ?? "/";
    const log = (): void => {
      if (logged) return;
      logged = true;
      const durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      const level = isNoisy(path) ? "debug" : "info";
      logger.log(level, "request", {
        requestId: res.locals.requestId as string | undefined,
        method: req.method,
        path,
        status: res.statusCode,
        durationMs,
        // A close before finish means the client left early (e.g. the user pressed Stop).
        aborted: !res.writableFinished,
      });
    };
    res.on("finish", log);
    res.on("close", log);
    next();
  };
}
