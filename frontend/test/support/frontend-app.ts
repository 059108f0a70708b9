import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "../../server/app.js";
import type { AuthConfig } from "../../server/config.js";
import { createLogger } from "../../server/logger.js";
import { ensureBuild } from "./build";
import { CLIENT_DIR, SERVER_BUILD } from "./paths";
import { TEST_SESSION_SECRET } from "./session";

export interface InProcessFrontend {
  url: string;
  close(): Promise<void>;
}

/**
 * The production Express app with the built Remix server, in this process, on a free port. Without `auth`
 * Cognito is a port nothing listens on: tests that never refresh or sign in need no emulator.
 */
export async function startFrontendInProcess(
  backendUrl: string,
  auth: Partial<AuthConfig> = {},
): Promise<InProcessFrontend> {
  ensureBuild();
  // Load React and React Router in their production builds, as `npm start` does.
  process.env.NODE_ENV = "production";
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
  const logger = createLogger("error", { silent: process.env.TEST_LOGS !== "1" });
  const app = createApp({
    backendUrl,
    auth: {
      userPoolId: "us-east-1_TestPool1",
      clientId: "testclient",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:9",
      sessionSecret: TEST_SESSION_SECRET,
      ...auth,
    },
    logger,
    production: true,
    build,
    clientDir: CLIENT_DIR,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
