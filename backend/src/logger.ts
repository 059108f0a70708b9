// winston JSON lines on stdout (CloudWatch picks them up from there), with every field passed
// through the redactor before it is serialised.

import type { Writable } from "node:stream";
import winston from "winston";
import type { LogLevel } from "./config.js";
import type { Redactor } from "./redact.js";

export type Logger = winston.Logger;

export interface LoggerOptions {
  level: LogLevel;
  redactor: Redactor;
  /** Where lines go instead of stdout (tests capture them this way). */
  stream?: Writable;
}

function redactFormat(redactor: Redactor) {
  return winston.format((info) => {
    // Symbol keys (winston's own bookkeeping) are not touched by Object.keys.
    for (const key of Object.keys(info)) {
      if (key === "level") continue;
      info[key] = redactor.redactProperty(key, info[key]);
    }
    return info;
  })();
}

export function createLogger({ level, redactor, stream }: LoggerOptions): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { service: "backend" },
    format: winston.format.combine(winston.format.timestamp(), redactFormat(redactor), winston.format.json()),
    transports: [stream ? new winston.transports.Stream({ stream }) : new winston.transports.Console()],
  });
}
