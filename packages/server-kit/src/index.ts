// What both Node servers share. Plain (req, res, next) middleware typed on Node's own classes,
// so it fits Express 4 and 5 alike.

export type { KitRequest, KitResponse, Middleware } from "./http-types.js";
export { accessLog, type AccessLogOptions } from "./access-log.js";
export {
  HEADERS_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  startHttpServer,
  type RunningServer,
  type ServerOptions,
} from "./http-server.js";
export { Lifecycle, type TrackedStream } from "./lifecycle.js";
export { createLogger, LOG_LEVELS, type Logger, type LoggerOptions, type LogLevel } from "./logger.js";
export {
  exitOnUncaughtErrors,
  flushAndExit,
  serverProcess,
  shutdownOnSignals,
  type ServerProcess,
  type SignalOptions,
} from "./process-exit.js";
export { requestId } from "./request-id.js";
