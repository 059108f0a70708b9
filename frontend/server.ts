/**
 * Production and development entry point: validates configuration, then serves the Remix app through
 * Express on PORT (default 3000).
 *
 * Development and the tests run this file through tsx. `npm run build` also bundles it (with server/, not
 * node_modules) into build/server.js with esbuild, which production (`npm start`, the image) runs with plain
 * node: no TypeScript loader at run time, so tsx and esbuild stay dev dependencies. `--conditions=production`
 * there makes @fargate-ai-stack/server-kit resolve to its compiled dist/ instead of its sources.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serverProcess } from "@fargate-ai-stack/server-kit";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "./server/app.js";
import { loadConfig } from "./server/config.js";
import { createLogger } from "./server/logger.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The frontend folder: where this file is, or its parent when running as the bundle in build/. */
const ROOT = existsSync(path.join(HERE, "package.json")) ? HERE : path.dirname(HERE);
const SERVER_BUILD = path.join(ROOT, "build/server/index.js");
const CLIENT_DIR = path.join(ROOT, "build/client");
/** ECS sends SIGKILL 30 s after SIGTERM by default; finish in-flight replies within that window. */
const SHUTDOWN_TIMEOUT_MS = 25_000;

const result = loadConfig(process.env);
if (!result.ok) {
  for (const line of result.errors) console.error(line);
  process.exit(1);
}
const config = result.config;
const logger = createLogger(config.logLevel);
const { lifecycle, listen } = serverProcess(logger);

let app;
if (config.production) {
  if (!existsSync(SERVER_BUILD)) {
    console.error(`Build output not found at ${SERVER_BUILD}. Run \`npm run build -w frontend\` first.`);
    process.exit(1);
  }
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
  app = createApp({
    ...config,
    logger,
    build,
    clientDir: CLIENT_DIR,
    isShuttingDown: () => lifecycle.draining,
  });
} else {
  // Vite is a dev dependency: load it only in development so production images can omit it.
  const { createServer } = await import("vite");
  const vite = await createServer({
    root: ROOT,
    configFile: path.join(ROOT, "vite.config.ts"),
    server: { middlewareMode: true },
  });
  app = createApp({
    ...config,
    logger,
    vite,
    build: () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
    isShuttingDown: () => lifecycle.draining,
  });
}

const running = await listen({
  app,
  host: config.host,
  port: config.port,
  shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
});
logger.info("listening", {
  host: config.host,
  port: (running.server.address() as AddressInfo).port,
  backendUrl: config.backendUrl,
  production: config.production,
});
