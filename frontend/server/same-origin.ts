import type { RequestHandler } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection for every state-changing request (the sign-in and sign-out forms, POST /api/chat), before
 * Remix sees it: the Origin header must be this site's own origin, scheme included (behind the ALB the
 * protocol comes from X-Forwarded-Proto, see trust proxy). Browsers send Origin with every POST, forms and
 * fetch alike, and a page on another site cannot forge it; a request without one is refused too. SameSite=Lax
 * already keeps the session cookie off cross-site POSTs; this also stops same-site attackers (a sibling
 * subdomain) and browsers without SameSite.
 */
export const sameOriginWrites: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method)) {
    next();
    return;
  }
  const origin = req.get("origin");
  if (origin !== undefined && origin === `${req.protocol}://${req.get("host") ?? ""}`) {
    next();
    return;
  }
  res.setHeader("Cache-Control", "no-store");
  if (req.path.startsWith("/api/")) {
    res.status(403).json({
      error: { code: "cross_origin_request", message: "This request came from another site." },
    });
    return;
  }
  res.status(403).type("text/plain").send("This form was sent from another site.");
};
