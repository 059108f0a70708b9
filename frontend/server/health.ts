import type { RequestHandler } from "express";

/**
 * Liveness for the ALB target group. It deliberately does not call the backend: a backend outage must not
 * make the ALB cycle healthy frontend tasks. While draining it answers 503 so the ALB stops routing here.
 */
export function healthz(isShuttingDown: () => boolean): RequestHandler {
  return (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (isShuttingDown()) {
      res.status(503).json({ status: "shutting_down" });
      return;
    }
    res.json({ status: "ok" });
  };
}
