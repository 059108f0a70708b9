import { useCallback, useEffect, useReducer } from "react";
import { fetchBudget } from "./api";
import { budgetReducer, type BudgetEvent } from "./budget";

/** Longest single wait (setTimeout's limit is ~24.8 days; a budget day is far shorter). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Today's budget: loaded from /api/budget, updated by every reply and every refusal, and loaded again when
 * a used-up budget resets, so the composer comes back without a reload.
 */
export function useBudget() {
  const [budget, dispatch] = useReducer(budgetReducer, {});

  const reload = useCallback(async (signal?: AbortSignal) => {
    try {
      dispatch({ type: "loaded", body: await fetchBudget(signal) });
    } catch {
      // Not knowing the budget blocks nothing: the backend still refuses what is over it.
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  const { blocked, resetsAt } = budget;
  useEffect(() => {
    if (!blocked || resetsAt === undefined) return;
    // A second past the reset, so the backend's day has surely turned.
    const timer = setTimeout(
      () => void reload(),
      Math.min(MAX_TIMER_MS, Math.max(0, resetsAt - Date.now()) + 1_000),
    );
    return () => clearTimeout(timer);
  }, [blocked, resetsAt, reload]);

  const update = useCallback((event: BudgetEvent) => dispatch(event), []);
  return { budget, update, reload };
}
