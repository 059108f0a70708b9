import { randomBytes } from "node:crypto";
import type { RequestHandler, Response } from "express";
import helmet from "helmet";

/** A fresh nonce per response lets Remix's inline hydration scripts run without 'unsafe-inline'. */
export const cspNonce: RequestHandler = (_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
};

/**
 * Helmet with a strict CSP. Only production gets the CSP: Vite's dev server injects inline scripts and a
 * websocket for hot reload that a strict policy would block.
 */
export function securityHeaders(production: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: production
      ? {
          useDefaults: false,
          directives: {
            "default-src": ["'self'"],
            "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
            // No upgrade-insecure-requests: the dev environment may be served over plain HTTP by the ALB.
          },
        }
      : false,
    // Cross-origin isolation headers would add nothing here and break future embeds of public assets.
    crossOriginEmbedderPolicy: false,
    // Not helmet's no-referrer: with it browsers send `Origin: null` on form posts, even same-origin ones, and
    // the same-origin check (server/same-origin.ts) would refuse them. Other sites still get no referrer.
    referrerPolicy: { policy: "same-origin" },
  });
}
