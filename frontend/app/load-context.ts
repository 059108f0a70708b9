import type { Logger } from "winston";
import type { AuthConfig } from "../server/config";

/** What server.ts hands every loader and action (see getLoadContext in server/app.ts). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Backend origin, e.g. http://backend.dev.fargate-ai-stack.local:4000 — server-only. */
    backendUrl: string;
    logger: Logger;
    /** The browser's address as seen through the ALB; forwarded so the backend rate-limits per person. */
    clientIp: string | undefined;
    /** The id logged for this request and forwarded to the backend as X-Request-Id. */
    requestId: string;
    /** CSP nonce for inline scripts; undefined in development, where no CSP is sent. */
    cspNonce: string | undefined;
    /** The user pool and the session secret (server-only; see app/auth). */
    auth: AuthConfig;
  }
}

export {};
