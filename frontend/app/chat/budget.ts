/** Today's token budget as the browser knows it (GET /api/budget, the `done` event, a 429 or 503). */
export interface Budget {
  /** Tokens left today; undefined until the backend said. */
  remaining?: number;
  limit?: number;
  /** When the budget starts afresh (the next UTC midnight), epoch milliseconds. */
  resetsAt?: number;
  /** Set while nothing can be sent: the person's budget or the environment's spending cap is used up. */
  blocked?: "budget_exceeded" | "spend_cap_reached";
}

export type BudgetEvent =
  /** GET /api/budget */
  | { type: "loaded"; body: unknown }
  /** The `budget` of a `done` event. */
  | { type: "reply"; budget: unknown }
  /** A 429 budget_exceeded or 503 spend_cap_reached; retryAfterSeconds from Retry-After when sent. */
  | {
      type: "refused";
      code: "budget_exceeded" | "spend_cap_reached";
      retryAfterSeconds?: number;
      now: number;
    };

export function budgetReducer(state: Budget, event: BudgetEvent): Budget {
  switch (event.type) {
    case "loaded": {
      const body = event.body as {
        user?: { limit?: unknown; remaining?: unknown; resetsAt?: unknown };
        environment?: { capReached?: unknown };
      } | null;
      const remaining = numberOr(body?.user?.remaining, undefined);
      const limit = numberOr(body?.user?.limit, undefined);
      const resetsAt = timeOr(body?.user?.resetsAt, undefined);
      const blocked =
        body?.environment?.capReached === true
          ? "spend_cap_reached"
          : remaining !== undefined && remaining <= 0
            ? "budget_exceeded"
            : undefined;
      return { remaining, limit, resetsAt, blocked };
    }
    case "reply": {
      const budget = event.budget as { remaining?: unknown; resetsAt?: unknown } | null | undefined;
      if (!budget) return state;
      const remaining = numberOr(budget.remaining, state.remaining);
      return {
        ...state,
        remaining,
        resetsAt: timeOr(budget.resetsAt, state.resetsAt),
        blocked: remaining !== undefined && remaining <= 0 ? "budget_exceeded" : undefined,
      };
    }
    case "refused": {
      const resetsAt =
        event.retryAfterSeconds !== undefined
          ? event.now + event.retryAfterSeconds * 1000
          : (state.resetsAt ?? nextUtcMidnight(event.now));
      return { ...state, resetsAt, blocked: event.code };
    }
  }
}

export function nextUtcMidnight(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
}

/** "at 01:00 (in 7 hours)" in the person's own time zone. */
export function describeReset(resetsAt: number, now = Date.now()): string {
  const time = new Date(resetsAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const minutes = Math.max(1, Math.ceil((resetsAt - now) / 60_000));
  const wait =
    minutes < 60
      ? `${minutes} minute${minutes === 1 ? "" : "s"}`
      : `${Math.round(minutes / 60)} hour${Math.round(minutes / 60) === 1 ? "" : "s"}`;
  return `at ${time} (in ${wait})`;
}

export function formatTokens(n: number): string {
  return n.toLocaleString("en-US");
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function timeOr<T>(value: unknown, fallback: T): number | T {
  const time = typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? fallback : time;
}

/** The line under the message box: what is left today, or why nothing can be sent and until when. */
export function budgetNote(budget: Budget, now = Date.now()): string {
  const resets = budget.resetsAt !== undefined ? ` It resets ${describeReset(budget.resetsAt, now)}.` : "";
  if (budget.blocked === "spend_cap_reached")
    return `The chat is paused: the daily spending cap is reached.${resets}`;
  if (budget.blocked === "budget_exceeded") return `Today's budget is used up.${resets}`;
  if (budget.remaining === undefined) return "";
  const of = budget.limit !== undefined ? ` of ${formatTokens(budget.limit)}` : "";
  return `${formatTokens(Math.max(0, budget.remaining))}${of} tokens left today.`;
}
