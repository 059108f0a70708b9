// What our middleware keeps on res.locals for the handlers after it.
declare global {
  namespace Express {
    interface Locals {
      requestId: string;
      /** Extra fields for the one log line written when the request ends. */
      logFields: Record<string, unknown>;
      /** Set by handlers that keep working after the client left; the log line waits for it. */
      settled?: Promise<void>;
    }
  }
}

export {};
