// The few parts of a request and response the middleware here uses. Typed on Node's own classes,
// so the same functions plug into Express 4 (the frontend, bound by Remix's adapter) and 5.

import type { IncomingMessage, ServerResponse } from "node:http";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types are extended only through this namespace.
  namespace Express {
    // What the middleware here keeps on res.locals for the handlers after it.
    interface Locals {
      requestId: string;
      /** Extra fields for the one log line written when the request ends. */
      logFields: Record<string, unknown>;
      /** Set by handlers that keep working after the client left; the log line waits for it. */
      settled?: Promise<void>;
    }
  }
}

export interface KitRequest extends IncomingMessage {
  originalUrl: string;
  /** The client address, after Express applied its "trust proxy" setting. */
  ip?: string | undefined;
}

export interface KitResponse extends ServerResponse {
  locals: Express.Locals;
}

export type Middleware = (req: KitRequest, res: KitResponse, next: (err?: unknown) => void) => void;
