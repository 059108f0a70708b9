import { signInPath } from "../auth/next-path";
import { parseEventStream } from "./sse";
import type { ModelList, Role } from "./types";

/** A failure the UI can explain: a backend error code, or one of the client-side codes below. */
export class ChatError extends Error {
  constructor(
    /** Backend code (e.g. budget_exceeded) or network | bad_response | stream_cut | http_<status>. */
    readonly code: string,
    message: string,
    readonly details: {
      status?: number;
      retryAfterSeconds?: number;
      requestId?: string;
      midStream?: boolean;
    } = {},
  ) {
    super(message);
    this.name = "ChatError";
  }
}

export interface ChatRequest {
  messages: { role: Role; content: string }[];
  model?: string;
}

export interface StreamHandlers {
  signal: AbortSignal;
  onMeta?: (meta: { requestId?: string; model?: string }) => void;
  onDelta: (text: string) => void;
}

export interface DoneEvent {
  finishReason: string;
  usage: unknown;
  /** What is left of today's budget after this reply: { remaining, resetsAt }. */
  budget?: unknown;
}

/**
 * Sends the conversation to /api/chat and calls onDelta for every streamed token. Resolves on the `done`
 * event; rejects with ChatError for every failure, or with the AbortError when the signal fires.
 */
export async function streamChat(request: ChatRequest, handlers: StreamHandlers): Promise<DoneEvent> {
  const response = await post("/api/chat", request, handlers.signal);
  const requestId = response.headers.get("x-request-id") ?? undefined;
  if (!response.ok) throw await errorFromResponse(response);
  if (!response.body || !response.headers.get("content-type")?.includes("text/event-stream")) {
    throw new ChatError("bad_response", "The server answered with something other than a reply stream.", {
      status: response.status,
      requestId,
    });
  }
  try {
    for await (const { event, data } of parseEventStream(response.body)) {
      if (event === "delta") {
        const text = (parseJson(data) as { text?: unknown } | undefined)?.text;
        if (typeof text === "string" && text) handlers.onDelta(text);
      } else if (event === "meta") {
        handlers.onMeta?.((parseJson(data) as { requestId?: string; model?: string } | undefined) ?? {});
      } else if (event === "done") {
        const done = (parseJson(data) ?? {}) as Partial<DoneEvent>;
        return { finishReason: done.finishReason ?? "stop", usage: done.usage ?? null, budget: done.budget };
      } else if (event === "error") {
        const err = (parseJson(data) ?? {}) as { code?: string; message?: string };
        throw new ChatError(err.code ?? "upstream_error", err.message ?? "The reply failed.", {
          requestId,
          midStream: true,
        });
      }
    }
  } catch (err) {
    if (err instanceof ChatError || handlers.signal.aborted) throw err;
    // The connection dropped mid-reply (server restart, network change).
    throw new ChatError("stream_cut", "The connection closed before the reply finished.", {
      requestId,
      midStream: true,
    });
  }
  throw new ChatError("stream_cut", "The connection closed before the reply finished.", {
    requestId,
    midStream: true,
  });
}

export async function fetchModels(signal?: AbortSignal): Promise<ModelList> {
  let response: Response;
  try {
    response = await fetch("/api/models", { headers: { accept: "application/json" }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw networkError();
  }
  if (!response.ok) throw await errorFromResponse(response);
  const body = (await response.json().catch(() => undefined)) as
    { models?: unknown; default?: unknown } | undefined;
  // Accept plain ids or OpenAI-style objects ({ id }), whichever the backend sends.
  const models = Array.isArray(body?.models)
    ? body.models
        .map((m: unknown) => (typeof m === "string" ? m : (m as { id?: unknown } | null)?.id))
        .filter((m): m is string => typeof m === "string" && m.length > 0)
    : [];
  const fallback = typeof body?.default === "string" ? body.default : (models[0] ?? "");
  return { models: models.length > 0 ? models : fallback ? [fallback] : [], default: fallback };
}

/** GET /api/budget: the raw body, read by the budget reducer. */
export async function fetchBudget(signal?: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch("/api/budget", { headers: { accept: "application/json" }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw networkError();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response.json();
}

async function post(url: string, body: unknown, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw networkError();
  }
}

function networkError(): ChatError {
  return new ChatError("network", "The browser could not reach this site's server.");
}

async function errorFromResponse(response: Response): Promise<ChatError> {
  // The session is gone (signed out elsewhere, expired, revoked): sign in again and come back here.
  if (response.status === 401) goToSignIn();
  const body = (await response.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string; retryAfter?: number } } | undefined;
  const code = body?.error?.code ?? `http_${response.status}`;
  const message = body?.error?.message ?? (response.statusText || `HTTP ${response.status}`);
  return new ChatError(code, message, {
    status: response.status,
    retryAfterSeconds: parseRetryAfter(response.headers.get("retry-after")) ?? body?.error?.retryAfter,
    requestId: response.headers.get("x-request-id") ?? undefined,
  });
}

function goToSignIn(): void {
  if (typeof window === "undefined") return;
  window.location.assign(signInPath(`${window.location.pathname}${window.location.search}`));
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
