import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";

/** Ids we accept from a caller; the same rule as the backend's, so a forwarded id is never replaced there. */
const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Reuses a well-formed incoming X-Request-Id or creates one, and echoes it on the response. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get("x-request-id");
  const id = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
};
