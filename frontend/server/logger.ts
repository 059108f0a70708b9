// The frontend's logger: the shared JSON-line shape, tagged with this service.

import { createLogger as createKitLogger, type Logger, type LogLevel } from "@fargate-ai-stack/server-kit";

export type { Logger };

export function createLogger(level: LogLevel, options: { silent?: boolean } = {}): Logger {
  return createKitLogger({ service: "frontend", level, silent: options.silent ?? false });
}
