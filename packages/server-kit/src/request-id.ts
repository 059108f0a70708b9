// Takes the caller's X-Request-Id when it is a safe token, otherwise makes one, and echoes it
// back so a user's report can be matched to log lines. Both servers use the same rule, so an id
// the frontend forwards is never replaced by the backend.

import { randomUUID } from "node:crypto";
import type { Middleware } from "./http-types.js";

const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function requestId(): Middleware {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && VALID_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.locals.logFields = {};
    res.setHeader("X-Request-Id", id);
    next();
  };
}
