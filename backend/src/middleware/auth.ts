// Every /api/* request names its user with `Authorization: Bearer <Cognito access token>`. The
// verified `sub` goes to res.locals.user for the handlers; without sign-in (AUTH_DISABLED=true)
// everyone is the one local user.

import type { RequestHandler } from "express";
import type { Identity, TokenVerifier } from "../auth.js";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types are extended only through this namespace.
  namespace Express {
    interface Locals {
      /** The signed-in user (set by requireUser on every /api/* route). */
      user: Identity;
    }
  }
}

/** The user every request is charged to when sign-in is off (local development only). */
export const LOCAL_USER: Identity = { sub: "local" };

const BEARER = /^Bearer +([^\s]+) *$/i;

export function requireUser(verifier: TokenVerifier | undefined, logger: Logger): RequestHandler {
  if (!verifier) {
    return (_req, res, next) => {
      res.locals.user = LOCAL_USER;
      next();
    };
  }
  return (req, res, next) => {
    const token = BEARER.exec(req.get("authorization") ?? "")?.[1];
    if (token === undefined) {
      next(
        new AppError("auth_required", "sign in: send Authorization: Bearer <access token>", {
          headers: { "WWW-Authenticate": "Bearer" },
        }),
      );
      return;
    }
    verifier.verify(token).then(
      (user) => {
        res.locals.user = user;
        // The pool's opaque user id, not a name or address: enough to trace a user's requests.
        res.locals.logFields.user = user.sub;
        next();
      },
      (err: unknown) => {
        if (err instanceof AppError && err.code === "auth_unavailable") {
          const cause = err.cause;
          logger.warn("could not load the user pool's signing keys", {
            requestId: res.locals.requestId,
            error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
          });
        }
        next(err);
      },
    );
  };
}
