// Liveness (the process answers) and readiness (it can serve chat: the key is loaded and the
// server is not draining). A readiness probe while the key is missing also nudges a reload,
// so the task becomes ready once the secret exists, without a restart.

import type { Lifecycle } from "@fargate-ai-stack/server-kit";
import type { Express } from "express";
import type { KeyProvider } from "../secrets.js";

/** Registered straight on the app (no sub-router): these are the most frequent requests. */
export function addHealthRoutes(app: Express, keys: KeyProvider, lifecycle: Lifecycle): void {
  app.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (lifecycle.draining) {
      res.status(503).json({ status: "not_ready", reason: "shutting down" });
      return;
    }
    const key = keys.status();
    if (!key.ready) {
      keys.warm();
      res.status(503).json({ status: "not_ready", reason: key.reason ?? "the OpenAI API key is not loaded" });
      return;
    }
    res.json({ status: "ready" });
  });
}
