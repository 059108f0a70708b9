// The error codes of the public API (see API.md) and the one error type that carries them.
// Anything thrown that is not an AppError becomes `internal_error`, so upstream internals and
// stack traces never reach a client.

export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  auth_required: 401,
  token_malformed: 401,
  token_expired: 401,
  token_invalid_signature: 401,
  token_wrong_issuer: 401,
  token_wrong_client: 401,
  token_wrong_use: 401,
  token_unsupported_algorithm: 401,
  auth_unavailable: 503,
  budget_exceeded: 429,
  spend_cap_reached: 503,
  budget_unavailable: 503,
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
  /** More response headers, e.g. WWW-Authenticate on a 401. */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
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
  authDisabled:
    "AUTH_DISABLED=true: sign-in is OFF and every request is served as one local user; for local development only, never in a deployed environment",
  internal: "internal error",
} as const;

export function asAppError(err: unknown): AppError {
  return err instanceof AppError ? err : new AppError("internal_error", MESSAGES.internal, { cause: err });
}
