// The one log shape of both servers: winston JSON lines on stdout (CloudWatch picks them up from
// there) with level, message, timestamp, service and the fields of the call, so one query works
// across the frontend's and the backend's log groups.

import type { Writable } from "node:stream";
import winston from "winston";

export type Logger = winston.Logger;

export const LOG_LEVELS = ["error", "warn", "info", "http", "verbose", "debug", "silly"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Which server wrote the line: "backend" or "frontend". */
  service: string;
  level: LogLevel;
  /** Drops every line (tests that do not look at logs). */
  silent?: boolean;
  /** Where lines go instead of stdout (tests capture them this way). */
  stream?: Writable;
  /** Applied to every entry before it is serialised, e.g. the backend's redaction. */
  format?: winston.Logform.Format;
}

/** Errors in a field (`{ err }`) would serialise as `{}`; keep their name, message and stack. */
const errorFields = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (value instanceof Error) info[key] = { name: value.name, message: value.message, stack: value.stack };
  }
  return info;
});

export function createLogger({ service, level, silent, stream, format }: LoggerOptions): Logger {
  return winston.createLogger({
    level,
    silent: silent ?? false,
    defaultMeta: { service },
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      ...(format ? [format] : []),
      errorFields(),
      winston.format.json(),
    ),
    transports: [stream ? new winston.transports.Stream({ stream }) : new winston.transports.Console()],
  });
}
