import path from "node:path";
import express, { type Router } from "express";

/**
 * Production static files. Vite puts content-hashed files under /assets, so they never change and may be
 * cached for a year; other public files (favicon, robots.txt) keep a short lifetime.
 */
export function staticFiles(clientDir: string): Router {
  const router = express.Router();
  router.use(
    "/assets",
    // fallthrough: false answers 404 for a missing hashed file instead of rendering the app's HTML for it.
    express.static(path.join(clientDir, "assets"), {
      immutable: true,
      maxAge: "1y",
      index: false,
      fallthrough: false,
    }),
  );
  router.use(express.static(clientDir, { maxAge: "1h", index: false }));
  return router;
}
