// The fake OpenAI server: Chat Completions (streaming and not), model listing, OpenAI-shaped
// errors, and a small control API so tests in other processes can steer it.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { parseScenario, type Scenario } from "./scenario.js";
import {
  chunk,
  completion,
  completionId,
  countPromptTokens,
  errorBody,
  requestId,
  statusErrorBody,
  tokenize,
  usage,
  type ChatMessage,
  type FinishReason,
} from "./wire.js";

export interface FakeOpenAIOptions {
  /** Interface to bind; loopback unless told otherwise. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Text of every successful reply unless a scenario overrides it. */
  reply?: string;
  /** Pause before each content token. */
  tokenDelayMs?: number;
  /** When set, any other bearer token gets OpenAI's 401 "invalid_api_key". */
  expectedKey?: string;
  /** What GET /v1/models lists. */
  models?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  receivedAt: number;
}

export interface FakeOpenAIState {
  requests: number;
  chatRequests: number;
  aborted: number;
  inFlight: number;
  scenario: Scenario["kind"];
  expectsKey: boolean;
}

export interface FakeOpenAI {
  /** Base URL ending in `/v1`: what to pass as OPENAI_BASE_URL. */
  readonly url: string;
  /** The most recent requests to /v1 (at most 1000), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Requests whose client went away before the response was complete. */
  readonly aborted: number;
  setScenario(scenario: Scenario): void;
  setExpectedKey(key: string | undefined): void;
  state(): FakeOpenAIState;
  /** Forget recorded requests and counters, and go back to the "ok" scenario. */
  reset(): void;
  /** Resolves once `aborted` reaches `count`; rejects after `timeoutMs`. */
  waitForAborted(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_REPLY = "Hello! This is the fake OpenAI server answering.";
const DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4.1-mini", "gpt-4o"];
const MAX_RECORDED = 1000;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      parts.push(b);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": requestId(),
    ...headers,
  });
  res.end(text);
}

function safeParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

interface ChatBody {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | undefined;
}

/** Validates just enough of a chat request to answer like OpenAI does when it is malformed. */
function parseChatBody(value: unknown): ChatBody | string {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "body must be a JSON object";
  const o = value as Record<string, unknown>;
  if (typeof o.model !== "string" || o.model === "") return "you must provide a model parameter";
  if (!Array.isArray(o.messages) || o.messages.length === 0) return "'messages' must be a non-empty array";
  const streamOptions = o.stream_options as { include_usage?: unknown } | undefined;
  const max = o.max_completion_tokens ?? o.max_tokens;
  return {
    model: o.model,
    messages: o.messages as ChatMessage[],
    stream: o.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    maxTokens: typeof max === "number" ? max : undefined,
  };
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const host = opts.host ?? "127.0.0.1";
  const models = opts.models ?? DEFAULT_MODELS;
  const defaultOk: Scenario = {
    kind: "ok",
    ...(opts.reply === undefined ? {} : { reply: opts.reply }),
    ...(opts.tokenDelayMs === undefined ? {} : { tokenDelayMs: opts.tokenDelayMs }),
  };
  let scenario: Scenario = defaultOk;
  let remaining: number | undefined;
  let expectedKey = opts.expectedKey;
  let recorded: RecordedRequest[] = [];
  let requestCount = 0;
  let chatRequests = 0;
  let aborted = 0;
  let inFlight = 0;
  let closing = false;
  const abortWaiters = new Set<() => void>();
  const live = new Set<AbortController>();
  /** Responses the fake cut short on purpose, which must not count as client aborts. */
  const selfEnded = new WeakSet<ServerResponse>();

  function setScenario(s: Scenario): void {
    scenario = s;
    remaining = s.times;
  }

  /** The scenario for this request; a `times`-limited one counts down and then reverts to "ok". */
  function takeScenario(): Scenario {
    const current = scenario;
    if (remaining !== undefined) {
      remaining -= 1;
      if (remaining <= 0) {
        scenario = defaultOk;
        remaining = undefined;
      }
    }
    return current;
  }

  function noteAborted(): void {
    aborted += 1;
    for (const wake of abortWaiters) wake();
  }

  async function streamReply(
    res: ServerResponse,
    signal: AbortSignal,
    body: ChatBody,
    text: string,
    tokenDelayMs: number,
    cutAfter: number | undefined,
  ): Promise<void> {
    const all = tokenize(text);
    const tokens = body.maxTokens === undefined ? all : all.slice(0, body.maxTokens);
    const finishReason: FinishReason = tokens.length < all.length ? "length" : "stop";
    const base = {
      id: completionId(),
      model: body.model,
      created: Math.floor(Date.now() / 1000),
      includeUsage: body.includeUsage,
    };
    // Resolves once the chunk reached the socket, so a cut never discards what was "sent".
    const send = (data: unknown): Promise<void> =>
      new Promise((resolve) => res.write(`data: ${JSON.stringify(data)}\n\n`, () => resolve()));
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, must-revalidate",
      "x-request-id": requestId(),
      "openai-processing-ms": "1",
    });
    res.flushHeaders();
    let written = send(
      chunk(base, { delta: { role: "assistant", content: "", refusal: null }, finishReason: null }),
    );
    for (let i = 0; i < tokens.length; i += 1) {
      if (tokenDelayMs > 0) await sleep(tokenDelayMs, undefined, { signal });
      if (cutAfter !== undefined && i >= cutAfter) break;
      written = send(chunk(base, { delta: { content: tokens[i] }, finishReason: null }));
    }
    if (cutAfter !== undefined) {
      await written;
      // Drop the connection without the terminating chunk, like a network failure mid-answer.
      selfEnded.add(res);
      res.socket?.destroy();
      return;
    }
    void send(chunk(base, { delta: {}, finishReason }));
    if (body.includeUsage) {
      void send(chunk(base, null, usage(countPromptTokens(body.messages), tokens.length)));
    }
    res.end("data: [DONE]\n\n");
  }

  async function handleChat(req: IncomingMessage, res: ServerResponse, raw: string, signal: AbortSignal) {
    chatRequests += 1;
    const auth = req.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length).trim() : "";
    if (token === "") {
      sendJson(
        res,
        401,
        errorBody(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          "invalid_request_error",
        ),
      );
      return;
    }
    if (expectedKey !== undefined && token !== expectedKey) {
      sendJson(res, 401, statusErrorBody(401, ""));
      return;
    }
    const parsed = safeParse(raw);
    if (!parsed.ok) {
      sendJson(
        res,
        400,
        errorBody(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
          "invalid_request_error",
        ),
      );
      return;
    }
    const body = parseChatBody(parsed.value);
    if (typeof body === "string") {
      sendJson(res, 400, errorBody(body, "invalid_request_error", null, "messages"));
      return;
    }
    const s = takeScenario();
    switch (s.kind) {
      case "status": {
        const headers: Record<string, string> = {};
        if (s.retryAfter !== undefined) headers["retry-after"] = String(s.retryAfter);
        sendJson(res, s.status, statusErrorBody(s.status, body.model), headers);
        return;
      }
      case "hang":
        // Never answer; the request stays open until the client or close() ends it.
        await new Promise<void>((resolve) =>
          signal.addEventListener("abort", () => resolve(), { once: true }),
        );
        return;
      case "slow":
        await sleep(s.firstTokenDelayMs, undefined, { signal });
        break;
      default:
        break;
    }
    const text = ("reply" in s ? s.reply : undefined) ?? opts.reply ?? DEFAULT_REPLY;
    const tokenDelayMs = ("tokenDelayMs" in s ? s.tokenDelayMs : undefined) ?? opts.tokenDelayMs ?? 0;
    const cutAfter = s.kind === "cut" ? s.afterTokens : undefined;
    if (body.stream) {
      await streamReply(res, signal, body, text, tokenDelayMs, cutAfter);
      return;
    }
    const all = tokenize(text);
    const tokens = body.maxTokens === undefined ? all : all.slice(0, body.maxTokens);
    const reason: FinishReason = tokens.length < all.length ? "length" : "stop";
    sendJson(
      res,
      200,
      completion(body.model, tokens.join(""), reason, usage(countPromptTokens(body.messages), tokens.length)),
    );
  }

  function state(): FakeOpenAIState {
    return {
      requests: requestCount,
      chatRequests,
      aborted,
      inFlight,
      scenario: scenario.kind,
      expectsKey: expectedKey !== undefined,
    };
  }

  function reset(): void {
    recorded = [];
    requestCount = 0;
    chatRequests = 0;
    aborted = 0;
    setScenario(defaultOk);
  }

  function handleControl(method: string, path: string, raw: string, res: ServerResponse): void {
    const parsed = raw === "" ? { ok: true as const, value: {} } : safeParse(raw);
    if (!parsed.ok) {
      sendJson(res, 400, { error: { message: "body must be JSON" } });
      return;
    }
    try {
      if (method === "GET" && path === "/__control/state") {
        sendJson(res, 200, state());
      } else if (method === "POST" && path === "/__control/scenario") {
        const s = parseScenario(parsed.value);
        setScenario(s);
        sendJson(res, 200, { scenario: s });
      } else if (method === "POST" && path === "/__control/expected-key") {
        const key = (parsed.value as { key?: unknown }).key;
        if (key !== null && key !== undefined && typeof key !== "string")
          throw new Error("key must be a string or null");
        expectedKey = typeof key === "string" && key !== "" ? key : undefined;
        sendJson(res, 200, { expectsKey: expectedKey !== undefined });
      } else if (method === "POST" && path === "/__control/reset") {
        reset();
        sendJson(res, 200, state());
      } else {
        sendJson(res, 404, { error: { message: `no control route ${method} ${path}` } });
      }
    } catch (err) {
      sendJson(res, 400, { error: { message: err instanceof Error ? err.message : String(err) } });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const controller = new AbortController();
    live.add(controller);
    inFlight += 1;
    res.on("close", () => {
      inFlight -= 1;
      live.delete(controller);
      // Ended before the response was complete, and not by the fake itself: the client left.
      if (!res.writableFinished && !closing && !selfEnded.has(res)) noteAborted();
      controller.abort();
    });
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      selfEnded.add(res);
      if (err instanceof BodyTooLarge && !res.headersSent) {
        sendJson(res, 413, errorBody("Request too large", "invalid_request_error"));
      }
      return;
    }
    if (path.startsWith("/__control/")) {
      handleControl(method, path, raw, res);
      return;
    }
    requestCount += 1;
    const parsedBody = safeParse(raw);
    recorded.push({
      method,
      path,
      headers: req.headers,
      body: parsedBody.ok ? parsedBody.value : raw,
      receivedAt: Date.now(),
    });
    if (recorded.length > MAX_RECORDED) recorded.shift();

    if (method === "GET" && path === "/v1/models") {
      sendJson(res, 200, {
        object: "list",
        data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake-openai" })),
      });
    } else if (method === "POST" && path === "/v1/chat/completions") {
      await handleChat(req, res, raw, controller.signal);
    } else {
      sendJson(res, 404, errorBody(`Invalid URL (${method} ${path})`, "invalid_request_error"));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Aborted sleeps end here when the client leaves; anything else is a bug in the fake.
      if (err instanceof Error && err.name === "AbortError") return;
      if (!res.headersSent) sendJson(res, 500, statusErrorBody(500, ""));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/v1`,
    get requests() {
      return recorded;
    },
    get aborted() {
      return aborted;
    },
    setScenario,
    setExpectedKey(key) {
      expectedKey = key;
    },
    state,
    reset,
    waitForAborted(count, timeoutMs = 5000) {
      if (aborted >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          abortWaiters.delete(check);
          reject(
            new Error(`fake-openai: aborted stayed at ${aborted}, expected ${count} within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        const check = (): void => {
          if (aborted < count) return;
          clearTimeout(timer);
          abortWaiters.delete(check);
          resolve();
        };
        abortWaiters.add(check);
      });
    },
    close() {
      closing = true;
      for (const c of live) c.abort();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
