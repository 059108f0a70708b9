// POST /api/chat: validate, open the upstream stream, then relay it as SSE (meta, delta...,
// done | error). Until the upstream accepts the request, failures are JSON errors with a
// status; after the stream has begun they are `error` events.

import type { Lifecycle } from "@fargate-ai-stack/server-kit";
import type { RequestHandler, Response } from "express";
import type { BudgetSnapshot, Budgets, Reservation } from "../budgets.js";
import { openChatStream } from "../completions.js";
import type { Config } from "../config.js";
import { AppError, asAppError, MESSAGES, type ErrorBody } from "../errors.js";
import type { Logger } from "../logger.js";
import type { ChatMetrics, ChatOutcome } from "../metrics.js";
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
  budgets: Budgets;
  metrics: ChatMetrics;
}

/** Why a stream stopped before the upstream finished it. */
type StopReason = "client_closed" | "idle_timeout" | "shutdown";

/** What the upstream sent besides the deltas, collected while relaying. */
interface Answer {
  finishReason: string | undefined;
  usage: Usage | null;
  reply: string;
  /** Deltas relayed: the reply's size when the upstream reported no usage. */
  deltas: number;
}

export function chatHandler(deps: ChatDeps): RequestHandler {
  const { config, lifecycle, validate, budgets, metrics } = deps;

  return async (req, res) => {
    // Time to first token counts the budget check too: the user waits for it.
    const started = performance.now();
    const request = validate(req.body);
    if (lifecycle.draining) throw new AppError("shutting_down", MESSAGES.shuttingDown);
    const model = request.model ?? config.openai.defaultModel;
    const { logFields } = res.locals;
    logFields.model = model;
    logFields.messageCount = request.messages.length;
    if (config.logMessageContent) logFields.messages = request.messages;

    // Nothing reaches the upstream without a reservation.
    let reservation: Reservation;
    try {
      reservation = await budgets.reserve(res.locals.user, model, request.messages, res.locals.requestId);
    } catch (err) {
      if (err instanceof AppError && (err.code === "budget_exceeded" || err.code === "spend_cap_reached")) {
        metrics.record({ model, outcome: err.code, inputTokens: 0, outputTokens: 0 });
      }
      throw err;
    }
    logFields.reservedTokens = reservation.amount;

    const exchange = new ChatExchange(deps, res, { model, reservation, started });
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
  private readonly controller = new AbortController();
  private readonly requestId: string;
  private readonly logFields: Record<string, unknown>;
  private readonly untrack: () => void;
  private markSettled: () => void = () => {};
  private stopped: StopReason | undefined;
  private sse: SseStream | undefined;
  private idle: NodeJS.Timeout | undefined;
  /** What the tokens were settled as; recorded as the chat's metrics on close. */
  private spent: { input: number; output: number } | undefined;
  private settlement: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: ChatDeps,
    private readonly res: Response,
    private readonly chat: { model: string; reservation: Reservation; started: number },
  ) {
    this.requestId = res.locals.requestId;
    this.logFields = res.locals.logFields;
    res.on("close", this.onClose);
    this.untrack = deps.lifecycle.track({ abort: () => this.stop("shutdown") });
    res.locals.settled = new Promise<void>((resolve) => (this.markSettled = resolve));
    // The client may have left while the reservation was made; then do not call the upstream.
    if (res.destroyed || !res.socket || res.socket.destroyed) this.stop("client_closed");
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
        maxCompletionTokens: this.deps.config.budget.maxCompletionTokens,
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
      this.logFields.outcome = error.code;
      // Refused before any token (no key, an error status, unreachable): nothing was spent. A
      // timed-out request may still be running upstream, so its reservation stays.
      if (error.code !== "upstream_timeout") {
        this.spent = { input: 0, output: 0 };
        this.settlement = this.deps.budgets.release(this.chat.reservation, this.requestId);
        await this.settlement;
      }
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
    const answer: Answer = { finishReason: undefined, usage: null, reply: "", deltas: 0 };
    try {
      for await (const event of events) {
        idle.refresh();
        if (event.type === "delta") {
          if (this.logFields.firstTokenMs === undefined) {
            this.logFields.firstTokenMs = Math.round(performance.now() - this.chat.started);
          }
          answer.deltas += 1;
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
        this.settleTokens(answer);
        this.fail(error);
        return;
      }
    } finally {
      clearTimeout(idle);
    }
    // Synchronously after the loop, so that a stop cannot slip in between.
    await this.finish(answer);
  }

  /** Runs however the exchange ended, before the error handler writes a JSON error. */
  close(): void {
    clearTimeout(this.idle);
    this.untrack();
    this.res.off("close", this.onClose);
    this.sse?.end();
    // The log line waits for the settlement, so it reports the final figures.
    void this.settlement.finally(() => {
      this.recordMetrics();
      this.markSettled();
    });
  }

  /**
   * Settles the reservation with the reported usage (without it the reservation stays, see
   * budgets.ts). Resolves to what the `done` event reports.
   */
  private settleTokens(answer: Answer): Promise<BudgetSnapshot | undefined> {
    const { usage } = answer;
    this.spent = usage
      ? { input: usage.promptTokens, output: usage.completionTokens }
      : { input: this.chat.reservation.promptTokens, output: answer.deltas };
    const settled = this.deps.budgets.settle(this.chat.reservation, usage, this.requestId);
    this.settlement = settled;
    return settled;
  }

  private recordMetrics(): void {
    const outcome: ChatOutcome =
      this.logFields.outcome === "done"
        ? "completed"
        : this.logFields.outcome === "client_closed"
          ? "client_closed"
          : "upstream_error";
    const firstTokenMs = this.logFields.firstTokenMs;
    this.deps.metrics.record({
      model: this.chat.model,
      outcome,
      // Neither settled nor released (the client left before the upstream answered): the
      // reservation stands for the prompt.
      inputTokens: this.spent?.input ?? this.chat.reservation.promptTokens,
      outputTokens: this.spent?.output ?? 0,
      timeToFirstTokenMs: typeof firstTokenMs === "number" ? firstTokenMs : undefined,
    });
  }

  private async finish(answer: Answer): Promise<void> {
    const { finishReason, usage, reply } = answer;
    const { config, logger } = this.deps;
    if (config.logMessageContent) this.logFields.reply = reply;
    const budget = this.settleTokens(answer);
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
      // null when the counters could not be read: the reservation then stays counted.
      const snapshot = (await budget) ?? null;
      this.sse?.end({ event: "done", data: { finishReason, usage, budget: snapshot } });
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
