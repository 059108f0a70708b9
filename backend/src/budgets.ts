// Daily token budgets (UTC days): before a chat opens the upstream, its prompt plus the reply cap
// is reserved on the user's and the environment's counters; after the stream, the usage OpenAI
// reported replaces the reservation. Without a report (the client left, the stream broke) the
// reservation stays: it is the most the request can have cost.

import type { Identity } from "./auth.js";
import type { BudgetStore, Refusal } from "./budget-store.js";
import type { BudgetConfig } from "./config.js";
import { AppError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { ChatMessage, Usage } from "./openai.js";
import { countPromptTokens } from "./tokens.js";

const DAY_MS = 86_400_000;
/** Counters outlive their day by this much (the table's TTL deletes them afterwards). */
const KEEP_DAYS = 35;

export interface Reservation {
  userPk: string;
  envPk: string;
  /** Tokens reserved: prompt + MAX_COMPLETION_TOKENS (0 when budgets are off). */
  amount: number;
  promptTokens: number;
  /** The end of the reservation's day (ms); settlement goes to the same day's counters. */
  dayEnd: number;
}

/** What the `done` event reports. */
export interface BudgetSnapshot {
  remaining: number;
  resetsAt: string;
}

/** GET /api/budget. */
export interface BudgetStatus {
  user: { limit: number; used: number; remaining: number; resetsAt: string };
  environment: { capReached: boolean };
}

export interface BudgetsOptions {
  config: BudgetConfig;
  /** Absent when budgets are off (AUTH_DISABLED=true without BUDGET_TABLE): nothing is counted. */
  store: BudgetStore | undefined;
  logger: Logger;
  now?: () => number;
}

function utcDay(ms: number): { day: string; end: number } {
  const day = new Date(ms).toISOString().slice(0, 10);
  return { day, end: Date.parse(`${day}T00:00:00.000Z`) + DAY_MS };
}

/** "7 h 35 min", "12 min", "1 min". */
function inWords(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export class Budgets {
  private readonly now: () => number;

  constructor(private readonly opts: BudgetsOptions) {
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.opts.store !== undefined;
  }

  /** Reserves the most this chat can cost, or throws budget_exceeded / spend_cap_reached / budget_unavailable. */
  async reserve(
    user: Identity,
    model: string,
    messages: readonly ChatMessage[],
    requestId: string,
  ): Promise<Reservation> {
    const { config, store } = this.opts;
    const { day, end } = utcDay(this.now());
    const keys = {
      userPk: `user#${user.sub}#${day}`,
      envPk: `env#${config.environmentName}#${day}`,
      dayEnd: end,
    };
    if (!store) return { ...keys, amount: 0, promptTokens: 0 };

    const promptTokens = await countPromptTokens(model, messages);
    const amount = promptTokens + config.maxCompletionTokens;
    // The environment's refusal wins: it is the one no user can do anything about.
    let refusal: Refusal | undefined =
      amount > config.environmentDailyTokens
        ? { limit: "environment" }
        : amount > config.userDailyTokens
          ? { limit: "user" }
          : undefined;
    if (!refusal) {
      try {
        refusal = await store.reserve(
          { pk: keys.userPk, limit: config.userDailyTokens },
          { pk: keys.envPk, limit: config.environmentDailyTokens },
          amount,
          this.expiresAt(end),
        );
      } catch (err) {
        throw this.unavailable(err, requestId);
      }
    }
    if (refusal?.limit === "user") throw this.budgetExceeded(amount, end, refusal.userTokens);
    if (refusal) throw this.spendCapReached(end);
    return { ...keys, amount, promptTokens };
  }

  /**
   * Replaces the reservation with the reported usage (no usage: the reservation stays). Resolves
   * to the user's remaining budget, or undefined when the counters could not be written or read.
   */
  async settle(r: Reservation, usage: Usage | null, requestId: string): Promise<BudgetSnapshot | undefined> {
    const { config, store, logger } = this.opts;
    const resetsAt = new Date(r.dayEnd).toISOString();
    if (!store) return { remaining: config.userDailyTokens, resetsAt };
    const delta = usage ? usage.promptTokens + usage.completionTokens - r.amount : 0;
    try {
      const used =
        delta === 0
          ? await store.read(r.userPk)
          : await store.adjust(r.userPk, r.envPk, delta, this.expiresAt(r.dayEnd));
      return { remaining: Math.max(0, config.userDailyTokens - used), resetsAt };
    } catch (err) {
      // The reservation (an over-estimate) stays counted; nothing was spent unmetered.
      logger.error("could not settle a chat's tokens; its reservation stays counted", {
        requestId,
        delta,
        error: err instanceof Error ? err.message : String(err),
      });
      return undefined;
    }
  }

  /** Gives the whole reservation back: the upstream refused the request, so nothing was spent. */
  async release(r: Reservation, requestId: string): Promise<void> {
    const { store, logger } = this.opts;
    if (!store || r.amount === 0) return;
    try {
      await store.adjust(r.userPk, r.envPk, -r.amount, this.expiresAt(r.dayEnd));
    } catch (err) {
      logger.error("could not release a refused chat's reservation; it stays counted", {
        requestId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  async status(user: Identity, requestId: string): Promise<BudgetStatus> {
    const { config, store } = this.opts;
    const { day, end } = utcDay(this.now());
    const resetsAt = new Date(end).toISOString();
    let used = 0;
    let envUsed = 0;
    if (store) {
      try {
        [used, envUsed] = await Promise.all([
          store.read(`user#${user.sub}#${day}`),
          store.read(`env#${config.environmentName}#${day}`),
        ]);
      } catch (err) {
        throw this.unavailable(err, requestId);
      }
    }
    return {
      user: {
        limit: config.userDailyTokens,
        used,
        remaining: Math.max(0, config.userDailyTokens - used),
        resetsAt,
      },
      // Reached once not even the smallest chat (one prompt token plus the reply cap) fits.
      environment: { capReached: envUsed + 1 + config.maxCompletionTokens > config.environmentDailyTokens },
    };
  }

  private expiresAt(dayEnd: number): number {
    return Math.floor(dayEnd / 1000) + KEEP_DAYS * 86_400;
  }

  private retryAfter(dayEnd: number): number {
    return Math.max(1, Math.ceil((dayEnd - this.now()) / 1000));
  }

  private budgetExceeded(amount: number, dayEnd: number, used: number | undefined): AppError {
    const limit = this.opts.config.userDailyTokens;
    const resetsAt = new Date(dayEnd).toISOString();
    const left = used === undefined ? "" : `, ${Math.max(0, limit - used)} left`;
    return new AppError(
      "budget_exceeded",
      `this request needs up to ${amount} tokens, more than your daily budget has left (${limit} a day${left}); it resets at ${resetsAt} (in ${inWords(dayEnd - this.now())})`,
      { retryAfterSeconds: this.retryAfter(dayEnd) },
    );
  }

  private spendCapReached(dayEnd: number): AppError {
    const resetsAt = new Date(dayEnd).toISOString();
    return new AppError(
      "spend_cap_reached",
      `the service reached its daily spending cap; chat is available again at ${resetsAt} (in ${inWords(dayEnd - this.now())})`,
      { retryAfterSeconds: this.retryAfter(dayEnd) },
    );
  }

  private unavailable(err: unknown, requestId: string): AppError {
    this.opts.logger.error("the budget table is unavailable; refusing the chat", {
      requestId,
      error: err instanceof Error ? err.message : String(err),
    });
    return new AppError("budget_unavailable", "the usage budget could not be checked; try again shortly", {
      retryAfterSeconds: 5,
      cause: err,
    });
  }
}
