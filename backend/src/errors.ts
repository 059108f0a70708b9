// The error codes of the public API (see API.md) and the one error type that carries them.
// Anything thrown that is not an AppError becomes `internal_error`, so upstream internals and
// stack traces never reach a client.

export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  openai_key_missing: 503,
  openai_key_rejected: 502,
  upstream_rate_limited: 429,
  upstream_timeout: 504,
  upstream_error: 502,
  secret_unavailable: 503,
  shutting_down: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export class AppError extends Error {
  readonly status: number;
  /** Seconds for the Retry-After header, when the client should come back later. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export const MESSAGES = {
  keyMissing:
    "no OpenAI API key is configured: run `npm run secret:set -- --env <env>` to store one in AWS Secrets Manager, or set OPENAI_BASE_URL to an OpenAI-compatible server",
  keyRejected: "the OpenAI API key was rejected",
  secretUnavailable: "the OpenAI API key could not be loaded from AWS Secrets Manager; try again later",
  shuttingDown: "the server is shutting down; retry the request",
  internal: "internal error",
} as const;

export function asAppError(err: unknown): AppError {
  return err instanceof AppError ? err : new AppError("internal_error", MESSAGES.internal, { cause: err });
}
