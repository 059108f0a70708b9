import winston from "winston";
import type { LogLevel } from "./config.js";

export type Logger = winston.Logger;

/** JSON lines on stdout, the same shape as the backend's logs, so CloudWatch queries work across both. */
export function createLogger(level: LogLevel, options: { silent?: boolean } = {}): Logger {
  return winston.createLogger({
    level,
    silent: options.silent ?? false,
    defaultMeta: { service: "frontend" },
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  });
}
