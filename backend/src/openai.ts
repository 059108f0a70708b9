// The one place that talks to the OpenAI SDK: opens a streaming Chat Completion, retries the
// failures worth retrying (abortably, unlike the SDK's own sleep), turns chunks into a small
// event type, and maps SDK errors to public error codes.

import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  RateLimitError,
} from "openai";
import type { Logger as SdkLogger } from "openai/client";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { setTimeout as sleep } from "node:timers/promises";
import { AppError, MESSAGES } from "./errors.js";
import type { Logger } from "./logger.js";

export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export type UpstreamEvent =
  { type: "delta"; text: string } | { type: "finish"; reason: string } | { type: "usage"; usage: Usage };

export interface OpenStreamParams {
  apiKey: string;
  model: string;
  messages: ChatMessage[];
  /** The reply cap, reserved up front against the budget: the upstream must not exceed it. */
  maxCompletionTokens: number;
  /** Aborted when the client leaves, the stream idles too long, or the server gives up draining. */
  signal: AbortSignal;
  requestId: string;
}

/** What the chat route needs from an upstream; tests can substitute their own. */
export interface ChatUpstream {
  /** Resolves once the upstream accepted the request (HTTP 200), before the first token. */
  openStream(params: OpenStreamParams): Promise<AsyncIterable<UpstreamEvent>>;
}

export interface OpenAIUpstreamOptions {
  baseURL: string | undefined;
  /** Per attempt, until the response headers arrive. */
  timeoutMs: number;
  maxRetries: number;
  logger: Logger;
}

/** Longest Retry-After we wait out ourselves; anything longer goes back to the client as 429. */
const MAX_INLINE_RETRY_AFTER_MS = 2000;
const MAX_BACKOFF_MS = 8000;
const DEFAULT_RATE_LIMIT_RETRY_SECONDS = 5;
/** A rotation can leave an old and a new key in use briefly; more are not needed. */
const MAX_CACHED_CLIENTS = 4;

/** Routes the SDK's own warnings into our JSON logs (and through the redactor). */
function sdkLogger(logger: Logger): SdkLogger {
  const child = logger.child({ component: "openai-sdk" });
  const log =
    (level: "error" | "warn" | "info" | "debug") =>
    (message: string, ...rest: unknown[]) =>
      child.log(level, message, rest.length > 0 ? { details: rest } : {});
  return { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug") };
}

/** Seconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date), at least 1. */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.max(1, Math.ceil(ms / 1000));
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const s = retryAfterSeconds(headers);
  return s === undefined ? undefined : s * 1000;
}

/** How long to wait before retrying `err`, or undefined when it must not be retried. */
export function retryDelayMs(err: unknown, attempt: number): number | undefined {
  const backoff = Math.min(500 * 2 ** attempt, MAX_BACKOFF_MS) * (1 - Math.random() * 0.25);
  // A timed-out attempt already used the whole timeout; retrying would keep the user waiting
  // several times as long (and past the load balancer's idle timeout).
  if (err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError) return undefined;
  if (err instanceof APIConnectionError) return backoff;
  if (!(err instanceof APIError) || err.status === undefined) return undefined;
  const hint = err.headers?.get("x-should-retry");
  if (hint === "false") return undefined;
  const after = retryAfterMs(err.headers);
  if (err.status === 429) {
    // Quota exhaustion does not go away by waiting; long waits are the client's to make.
    if (err.code === "insufficient_quota") return undefined;
    return after !== undefined && after <= MAX_INLINE_RETRY_AFTER_MS ? after : undefined;
  }
  if (hint === "true" || err.status === 408 || err.status === 409 || err.status >= 500) {
    if (after === undefined) return backoff;
    return after <= MAX_BACKOFF_MS ? after : undefined;
  }
  return undefined;
}

/** Maps anything the SDK or the stream throws to a public error; never exposes upstream text. */
export function toUpstreamAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof APIConnectionTimeoutError) {
    return new AppError("upstream_timeout", "the OpenAI API did not answer in time", { cause: err });
  }
  if (err instanceof AuthenticationError) {
    return new AppError("openai_key_rejected", MESSAGES.keyRejected, { cause: err });
  }
  if (err instanceof RateLimitError) {
    const retry = retryAfterSeconds(err.headers) ?? DEFAULT_RATE_LIMIT_RETRY_SECONDS;
    return new AppError(
      "upstream_rate_limited",
      `the OpenAI API is rate limiting requests; retry in ${retry} s`,
      {
        retryAfterSeconds: retry,
        cause: err,
      },
    );
  }
  if (err instanceof APIError && (err.status === 408 || err.status === 504)) {
    return new AppError("upstream_timeout", "the OpenAI API did not answer in time", { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new AppError("upstream_error", "could not reach the OpenAI API", { cause: err });
  }
  if (err instanceof APIError && err.status !== undefined) {
    return new AppError("upstream_error", `the OpenAI API answered with HTTP ${err.status}`, { cause: err });
  }
  if (err instanceof APIError) {
    return new AppError("upstream_error", "the OpenAI API reported an error during the answer", {
      cause: err,
    });
  }
  return new AppError("upstream_error", "the connection to the OpenAI API broke off", { cause: err });
}

async function* toEvents(stream: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<UpstreamEvent> {
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    // A refusal is text for the user too.
    const text = choice?.delta?.content ?? choice?.delta?.refusal;
    if (text) yield { type: "delta", text };
    if (choice?.finish_reason) yield { type: "finish", reason: choice.finish_reason };
    if (chunk.usage) {
      yield {
        type: "usage",
        usage: {
          promptTokens: chunk.usage.prompt_tokens,
          completionTokens: chunk.usage.completion_tokens,
          totalTokens: chunk.usage.total_tokens,
        },
      };
    }
  }
}

export class OpenAIUpstream implements ChatUpstream {
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly opts: OpenAIUpstreamOptions) {}

  async openStream(params: OpenStreamParams): Promise<AsyncIterable<UpstreamEvent>> {
    const client = this.client(params.apiKey);
    for (let attempt = 0; ; attempt += 1) {
      try {
        const stream = await client.chat.completions.create(
          {
            model: params.model,
            messages: params.messages,
            max_completion_tokens: params.maxCompletionTokens,
            stream: true,
            // The last chunk then reports the usage, which settles the budget reservation.
            stream_options: { include_usage: true },
          },
          // OpenAI records X-Client-Request-Id, which ties their logs to ours.
          { signal: params.signal, headers: { "X-Client-Request-Id": params.requestId } },
        );
        return toEvents(stream);
      } catch (err) {
        const delay = attempt < this.opts.maxRetries ? retryDelayMs(err, attempt) : undefined;
        if (delay === undefined || params.signal.aborted) throw err;
        this.opts.logger.warn("OpenAI request failed; retrying", {
          requestId: params.requestId,
          attempt: attempt + 1,
          delayMs: Math.round(delay),
          status: err instanceof APIError ? err.status : undefined,
          error: err instanceof Error ? err.name : String(err),
        });
        await sleep(delay, undefined, { signal: params.signal });
      }
    }
  }

  private client(apiKey: string): OpenAI {
    let client = this.clients.get(apiKey);
    if (client) return client;
    client = new OpenAI({
      apiKey,
      baseURL: this.opts.baseURL,
      timeout: this.opts.timeoutMs,
      // Retries happen in openStream, where the wait can be aborted and 429s bounded.
      maxRetries: 0,
      logger: sdkLogger(this.opts.logger),
      logLevel: "warn",
    });
    if (this.clients.size >= MAX_CACHED_CLIENTS) {
      const oldest = this.clients.keys().next().value;
      if (oldest !== undefined) this.clients.delete(oldest);
    }
    this.clients.set(apiKey, client);
    return client;
  }
}
