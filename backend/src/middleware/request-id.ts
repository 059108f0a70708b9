// Takes the caller's X-Request-Id when it is a safe token, otherwise makes one, and echoes it
// back so a user's report can be matched to our log lines.

import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";

const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.get("x-request-id");
    const id = given !== undefined && VALID_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.locals.logFields = {};
    res.setHeader("X-Request-Id", id);
    next();
  };
}
