import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the stub does with the next POST /api/chat. */
export type StubScenario =
  | { kind: "ok"; reply?: string; tokenDelayMs?: number }
  /** Sends meta and one delta, then waits for release() before finishing: proves nothing buffers. */
  | { kind: "gated"; first: string; rest: string }
  /** Sends meta and a delta, then nothing: the client has to abort. */
  | { kind: "hang" }
  | { kind: "error"; status: number; code: string; message?: string; retryAfter?: number }
  /** Streams a delta and then an SSE error event. */
  | { kind: "midError"; code: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface StubBackend {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Chat requests whose connection closed before the stub finished its reply. */
  aborted: number;
  setScenario(scenario: StubScenario): void;
  /** While true every request gets the backend's 401 token_expired, as for a revoked or expired token. */
  rejectTokens: boolean;
  release(): void;
  /** Resolves when the next chat request is aborted by the other side. */
  nextAbort(): Promise<void>;
  close(): Promise<void>;
}

/** What the stub answers on GET /api/budget (the contract's shape). */
export const BUDGET = {
  user: { limit: 200000, used: 1500, remaining: 198500, resetsAt: "2026-12-03T00:00:00.000Z" },
  environment: { capReached: false },
};

/** A tiny stand-in for backend/ that speaks the documented contract, for proxy tests. */
export async function startStubBackend(port = 0): Promise<StubBackend> {
  let scenario: StubScenario = { kind: "ok" };
  let releaseGate: () => void = () => undefined;
  let abortWaiters: (() => void)[] = [];
  const requests: RecordedRequest[] = [];
  const state = { aborted: 0 };
  const control = { rejectTokens: false };

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? "/", "http://stub").pathname;
    requests.push({
      method: req.method ?? "",
      path,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });

    if (control.rejectTokens) {
      res.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
      json(res, 401, { error: { code: "token_expired", message: "The access token has expired." } });
      return;
    }
    if (path === "/api/budget" && req.method === "GET") {
      json(res, 200, BUDGET);
      return;
    }
    if (path === "/api/models" && req.method === "GET") {
      json(res, 200, { models: ["gpt-4o-mini", "gpt-4o"], default: "gpt-4o-mini" });
      return;
    }
    if (path !== "/api/chat" || req.method !== "POST") {
      json(res, 404, { error: { code: "not_found", message: "Not found" } });
      return;
    }
    const current = scenario;
    if (current.kind === "error") {
      if (current.retryAfter !== undefined) res.setHeader("Retry-After", String(current.retryAfter));
      json(res, current.status, { error: { code: current.code, message: current.message ?? current.code } });
      return;
    }

    res.on("close", () => {
      if (!res.writableFinished) {
        state.aborted += 1;
        const waiters = abortWaiters;
        abortWaiters = [];
        for (const waiter of waiters) waiter();
      }
    });
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      "X-Request-Id": "stub",
    });
    send(res, "meta", { requestId: req.headers["x-request-id"], model: "gpt-4o-mini" });

    if (current.kind === "hang") {
      send(res, "delta", { text: "Thinking" });
      return;
    }
    if (current.kind === "midError") {
      send(res, "delta", { text: "Partial" });
      send(res, "error", { code: current.code, message: "Upstream failed" });
      res.end();
      return;
    }
    if (current.kind === "gated") {
      send(res, "delta", { text: current.first });
      await new Promise<void>((resolve) => (releaseGate = resolve));
      if (res.destroyed) return;
      send(res, "delta", { text: current.rest });
      send(res, "done", { finishReason: "stop", usage: null });
      res.end();
      return;
    }
    const tokens = (current.reply ?? "Hello from the stub backend.").match(/\S+\s*/g) ?? [];
    for (const token of tokens) {
      if (res.destroyed) return;
      send(res, "delta", { text: token });
      if (current.tokenDelayMs) await new Promise((r) => setTimeout(r, current.tokenDelayMs));
    }
    if (res.destroyed) return;
    send(res, "done", {
      finishReason: "stop",
      usage: { promptTokens: 1, completionTokens: tokens.length },
      budget: { remaining: 1000, resetsAt: BUDGET.user.resetsAt },
    });
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    get aborted() {
      return state.aborted;
    },
    get rejectTokens() {
      return control.rejectTokens;
    },
    set rejectTokens(value: boolean) {
      control.rejectTokens = value;
    },
    setScenario(next) {
      scenario = next;
    },
    release() {
      releaseGate();
    },
    nextAbort() {
      return new Promise<void>((resolve) => abortWaiters.push(resolve));
    },
    close() {
      releaseGate();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}
