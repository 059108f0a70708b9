// GET /api/budget: the signed-in user's budget for today (UTC) and whether the environment's
// daily cap is reached, so the frontend can say so before the user types.

import type { RequestHandler } from "express";
import type { Budgets } from "../budgets.js";

export function budgetHandler(budgets: Budgets): RequestHandler {
  return async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json(await budgets.status(res.locals.user, res.locals.requestId));
  };
}
