// POST /api/chat: validate, open the upstream stream, then relay it as SSE (meta, delta...,
// done | error). Until the upstream accepts the request, failures are JSON errors with a
// status; after the stream has begun they are `error` events.

import type { Lifecycle } from "@fargate-ai-stack/server-kit";
import type { RequestHandler, Response } from "express";
import { openChatStream } from "../completions.js";
import type { Config } from "../config.js";
import { AppError, asAppError, MESSAGES, type ErrorBody } from "../errors.js";
import type { Logger } from "../logger.js";
import {
  toUpstreamAppError,
  type ChatMessage,
  type ChatUpstream,
  type UpstreamEvent,
  type Usage,
} from "../openai.js";
import type { KeyProvider } from "../secrets.js";
import { SseStream } from "../sse.js";
import type { ChatRequestValidator } from "../validation.js";

export interface ChatDeps {
  config: Config;
  logger: Logger;
  keys: KeyProvider;
  upstream: ChatUpstream;
  lifecycle: Lifecycle;
  validate: ChatRequestValidator;
}

/** Why a stream stopped before the upstream finished it. */
type StopReason = "client_closed" | "idle_timeout" | "shutdown";

/** What the upstream sent besides the deltas, collected while relaying. */
interface Answer {
  finishReason: string | undefined;
  usage: Usage | null;
  reply: string;
}

export function chatHandler(deps: ChatDeps): RequestHandler {
  const { config, lifecycle, validate } = deps;

  return async (req, res) => {
    const request = validate(req.body);
    if (lifecycle.draining) throw new AppError("shutting_down", MESSAGES.shuttingDown);
    const model = request.model ?? config.openai.defaultModel;
    const { logFields } = res.locals;
    logFields.model = model;
    logFields.messageCount = request.messages.length;
    if (config.logMessageContent) logFields.messages = request.messages;

    const exchange = new ChatExchange(deps, res);
    try {
      const events = await exchange.openUpstream(model, request.messages);
      if (events) await exchange.relay(model, events);
    } finally {
      exchange.close();
    }
  };
}

/**
 * One answer on its way to one client. It can be stopped at any point (the client leaves, the
 * stream goes quiet, the server shuts down), and how it ends depends on why it stopped.
 */
class ChatExchange {
  private readonly started = performance.now();
  private readonly controller = new AbortController();
  private readonly requestId: string;
  private readonly logFields: Record<string, unknown>;
  private readonly untrack: () => void;
  private settle: () => void = () => {};
  private stopped: StopReason | undefined;
  private sse: SseStream | undefined;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: ChatDeps,
    private readonly res: Response,
  ) {
    this.requestId = res.locals.requestId;
    this.logFields = res.locals.logFields;
    res.on("close", this.onClose);
    this.untrack = deps.lifecycle.track({ abort: () => this.stop("shutdown") });
    res.locals.settled = new Promise<void>((resolve) => (this.settle = resolve));
  }

  /** Resolves to undefined when the client left before the upstream answered. */
  async openUpstream(
    model: string,
    messages: ChatMessage[],
  ): Promise<AsyncIterable<UpstreamEvent> | undefined> {
    const { keys, upstream, logger } = this.deps;
    try {
      return await openChatStream(keys, upstream, logger, {
        model,
        messages,
        signal: this.controller.signal,
        requestId: this.requestId,
      });
    } catch (err) {
      if (this.stopped === "client_closed") {
        this.logFields.outcome = "client_closed";
        return undefined;
      }
      if (this.stopped === "shutdown") throw new AppError("shutting_down", MESSAGES.shuttingDown);
      const error = asAppError(err);
      if (error.code.startsWith("upstream_") || error.code === "openai_key_rejected") {
        logUpstreamFailure(logger, this.requestId, error);
      }
      throw error;
    }
  }

  /** Sends `meta`, then a `delta` per upstream chunk, then how the answer ended. */
  async relay(model: string, events: AsyncIterable<UpstreamEvent>): Promise<void> {
    const { config, logger } = this.deps;
    const sse = new SseStream(this.res, config.heartbeatIntervalMs);
    this.sse = sse;
    sse.open({ event: "meta", data: { requestId: this.requestId, model } });

    // The SDK's timeout ends when the headers arrive; this one covers a stream that goes quiet.
    // One timer, pushed back on every event (refresh() reuses it instead of allocating).
    const idle = setTimeout(() => this.stop("idle_timeout"), config.openai.timeoutMs);
    this.idle = idle;
    const answer: Answer = { finishReason: undefined, usage: null, reply: "" };
    try {
      for await (const event of events) {
        idle.refresh();
        if (event.type === "delta") {
          if (this.logFields.firstTokenMs === undefined) {
            this.logFields.firstTokenMs = Math.round(performance.now() - this.started);
          }
          if (config.logMessageContent) answer.reply += event.text;
          await sse.send("delta", { text: event.text });
        } else if (event.type === "finish") {
          answer.finishReason = event.reason;
        } else {
          answer.usage = event.usage;
        }
        if (this.stopped) break;
      }
    } catch (err) {
      // Once stopped, the upstream's abort error is expected; finish() reports why instead.
      if (!this.stopped) {
        const error = toUpstreamAppError(err);
        logUpstreamFailure(logger, this.requestId, error);
        this.fail(error);
        return;
      }
    } finally {
      clearTimeout(idle);
    }
    // Synchronously after the loop, so that a stop cannot slip in between.
    this.finish(answer);
  }

  /** Runs however the exchange ended, before the error handler writes a JSON error. */
  close(): void {
    clearTimeout(this.idle);
    this.untrack();
    this.res.off("close", this.onClose);
    this.sse?.end();
    this.settle();
  }

  private finish({ finishReason, usage, reply }: Answer): void {
    const { config, logger } = this.deps;
    if (config.logMessageContent) this.logFields.reply = reply;
    if (this.stopped === "client_closed") {
      this.logFields.outcome = "client_closed";
    } else if (this.stopped === "idle_timeout") {
      logger.warn("the OpenAI stream went quiet; giving up", {
        requestId: this.requestId,
        timeoutMs: config.openai.timeoutMs,
      });
      this.fail(new AppError("upstream_timeout", "the OpenAI API stopped sending the answer"));
    } else if (this.stopped === "shutdown") {
      this.fail(new AppError("shutting_down", MESSAGES.shuttingDown));
    } else if (finishReason === undefined) {
      logger.warn("the OpenAI stream ended without a finish reason", { requestId: this.requestId });
      this.fail(new AppError("upstream_error", "the answer from the OpenAI API ended unexpectedly"));
    } else {
      this.logFields.outcome = "done";
      this.logFields.finishReason = finishReason;
      if (usage) Object.assign(this.logFields, usage);
      this.sse?.end({ event: "done", data: { finishReason, usage } });
    }
  }

  private fail(error: AppError): void {
    this.logFields.outcome = error.code;
    this.sse?.end({ event: "error", data: (error.toBody() satisfies ErrorBody).error });
  }

  private stop(reason: StopReason): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.controller.abort();
  }

  private readonly onClose = (): void => {
    if (!this.res.writableFinished) this.stop("client_closed");
  };
}

/** The details stay in our logs; the client only sees the AppError's code and message. */
function logUpstreamFailure(logger: Logger, requestId: string, error: AppError): void {
  const cause = error.cause;
  const upstream = cause as
    { status?: unknown; code?: unknown; type?: unknown; requestID?: unknown } | undefined;
  logger.warn("OpenAI request failed", {
    requestId,
    code: error.code,
    upstreamStatus: upstream?.status,
    upstreamCode: upstream?.code,
    upstreamType: upstream?.type,
    upstreamRequestId: upstream?.requestID,
    error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
  });
}
