// POST /api/chat: validate, open the upstream stream, then relay it as SSE (meta, delta...,
// done | error). Until the upstream accepts the request, failures are JSON errors with a
// status; after the stream has begun they are `error` events.

import type { Lifecycle } from "@fargate-ai-stack/server-kit";
import type { RequestHandler } from "express";
import { openChatStream } from "../completions.js";
import type { Config } from "../config.js";
import { AppError, asAppError, MESSAGES, type ErrorBody } from "../errors.js";
import type { Logger } from "../logger.js";
import { toUpstreamAppError, type ChatUpstream, type UpstreamEvent, type Usage } from "../openai.js";
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

export function chatHandler(deps: ChatDeps): RequestHandler {
  const { config, logger, keys, upstream, lifecycle, validate } = deps;

  return async (req, res) => {
    const { requestId, logFields } = res.locals;
    const request = validate(req.body);
    if (lifecycle.draining) throw new AppError("shutting_down", MESSAGES.shuttingDown);
    const model = request.model ?? config.openai.defaultModel;
    logFields.model = model;
    logFields.messageCount = request.messages.length;
    if (config.logMessageContent) logFields.messages = request.messages;

    const started = performance.now();
    const controller = new AbortController();
    let stopped: StopReason | undefined;
    const stop = (reason: StopReason): void => {
      if (stopped) return;
      stopped = reason;
      controller.abort();
    };
    const onClose = (): void => {
      if (!res.writableFinished) stop("client_closed");
    };
    res.on("close", onClose);
    const untrack = lifecycle.track({ abort: () => stop("shutdown") });
    let settle: () => void = () => {};
    res.locals.settled = new Promise<void>((resolve) => (settle = resolve));
    let sse: SseStream | undefined;
    let idle: NodeJS.Timeout | undefined;

    const fail = (error: AppError): void => {
      logFields.outcome = error.code;
      sse?.end({ event: "error", data: (error.toBody() satisfies ErrorBody).error });
    };

    try {
      let events: AsyncIterable<UpstreamEvent>;
      try {
        events = await openChatStream(keys, upstream, logger, {
          model,
          messages: request.messages,
          signal: controller.signal,
          requestId,
        });
      } catch (err) {
        if (stopped === "client_closed") {
          logFields.outcome = "client_closed";
          return;
        }
        if (stopped === "shutdown") throw new AppError("shutting_down", MESSAGES.shuttingDown);
        const error = asAppError(err);
        if (error.code.startsWith("upstream_") || error.code === "openai_key_rejected") {
          logUpstreamFailure(logger, requestId, error);
        }
        throw error;
      }

      sse = new SseStream(res, config.heartbeatIntervalMs);
      sse.open({ event: "meta", data: { requestId, model } });

      // The SDK's timeout ends when the headers arrive; this one covers a stream that goes quiet.
      // One timer, pushed back on every event (refresh() reuses it instead of allocating).
      idle = setTimeout(() => stop("idle_timeout"), config.openai.timeoutMs);
      const armIdle = (): void => {
        idle?.refresh();
      };
      let finishReason: string | undefined;
      let usage: Usage | null = null;
      let reply = "";
      try {
        for await (const event of events) {
          armIdle();
          if (event.type === "delta") {
            if (logFields.firstTokenMs === undefined) {
              logFields.firstTokenMs = Math.round(performance.now() - started);
            }
            if (config.logMessageContent) reply += event.text;
            await sse.send("delta", { text: event.text });
          } else if (event.type === "finish") {
            finishReason = event.reason;
          } else {
            usage = event.usage;
          }
          if (stopped) break;
        }
      } catch (err) {
        if (!stopped) {
          const error = toUpstreamAppError(err);
          logUpstreamFailure(logger, requestId, error);
          fail(error);
          return;
        }
      } finally {
        clearTimeout(idle);
      }

      if (config.logMessageContent) logFields.reply = reply;
      if (stopped === "client_closed") {
        logFields.outcome = "client_closed";
      } else if (stopped === "idle_timeout") {
        logger.warn("the OpenAI stream went quiet; giving up", {
          requestId,
          timeoutMs: config.openai.timeoutMs,
        });
        fail(new AppError("upstream_timeout", "the OpenAI API stopped sending the answer"));
      } else if (stopped === "shutdown") {
        fail(new AppError("shutting_down", MESSAGES.shuttingDown));
      } else if (finishReason === undefined) {
        logger.warn("the OpenAI stream ended without a finish reason", { requestId });
        fail(new AppError("upstream_error", "the answer from the OpenAI API ended unexpectedly"));
      } else {
        logFields.outcome = "done";
        logFields.finishReason = finishReason;
        if (usage) Object.assign(logFields, usage);
        sse.end({ event: "done", data: { finishReason, usage } });
      }
    } finally {
      clearTimeout(idle);
      untrack();
      res.off("close", onClose);
      sse?.end();
      settle();
    }
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
