// The backend's logger: the shared JSON-line shape, with every field passed through the
// redactor before it is serialised.

import type { Writable } from "node:stream";
import { createLogger as createKitLogger, type Logger, type LogLevel } from "@fargate-ai-stack/server-kit";
import winston from "winston";
import type { Redactor } from "./redact.js";

export type { Logger };

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
  return createKitLogger({ service: "backend", level, format: redactFormat(redactor), stream });
}
