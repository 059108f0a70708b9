/**
 * A Server-Sent Events client for tests and benchmarks, on `eventsource-parser` (the WHATWG parsing rules:
 * CR/LF line ends split across chunks, comments, multi-line data). Events are recorded as they arrive, so a
 * test can act on one (abort, send a signal) while the stream is still running.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

/** One event as sent: its name ("message" when the stream gave none) and its data text. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

const named = (message: EventSourceMessage): ServerSentEvent => ({
  event: message.event || "message",
  data: message.data,
});

/** The complete events in a whole text/event-stream body. */
export function parseServerSentEvents(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  createParser({ onEvent: (message) => events.push(named(message)) }).feed(text);
  return events;
}

/** Yields events as the body's bytes arrive; `onComment` sees comment lines such as heartbeats. */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onComment?: (comment: string) => void,
): AsyncGenerator<ServerSentEvent> {
  const parsed: ServerSentEvent[] = [];
  const parser = createParser({ onEvent: (message) => parsed.push(named(message)), onComment });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
      yield* parsed.splice(0);
    }
  } finally {
    reader.releaseLock();
  }
}

/** An event as received, its data decoded from JSON when it is JSON. */
export interface SseEvent {
  event: string;
  data: unknown;
}

export interface SseRequest {
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON.stringify(body). */
  rawBody?: string | Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
  /** Called for each event as it arrives. */
  onEvent?: (event: SseEvent, all: SseEvent[]) => void;
}

export interface SseResponse {
  status: number;
  headers: Headers;
  contentType: string | null;
  /** Events so far; complete once `done` resolves (empty for an answer that is not a stream). */
  events: SseEvent[];
  /** Comment lines such as "heartbeat". */
  comments: string[];
  /** Date.now() when this event arrived. */
  arrivedAt(event: SseEvent): number;
  /** The body of an answer that is not an event stream: parsed JSON, or the text when it is not JSON. */
  json: unknown;
  /** True when the body broke off (an abort, or the server went away) instead of ending. */
  interrupted: boolean;
  /** Resolves when the body has ended or broken off, with Date.now() at that moment. */
  done: Promise<number>;
  /** Resolves with the first event of this name; rejects when the stream ends without one or time runs out. */
  waitFor(name: string, timeoutMs?: number): Promise<SseEvent>;
  /** The streamed reply: the text of every `delta` event, joined. */
  text(): string;
}

/** The names of the events, in order. */
export function eventNames(source: { events: readonly SseEvent[] }): string[] {
  return source.events.map((e) => e.event);
}

/** The text of every `delta` event (the chat API's tokens), joined. */
export function deltaText(source: { events: readonly SseEvent[] }): string {
  return source.events
    .filter((e) => e.event === "delta")
    .map((e) => (e.data as { text?: string }).text ?? "")
    .join("");
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * POSTs JSON and resolves once the response headers are in. An event-stream body is then read in the
 * background (see `done`); any other body is read and decoded before this resolves.
 */
export async function postSse(url: string, body: unknown, init: SseRequest = {}): Promise<SseResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", ...init.headers },
    body: init.rawBody ?? JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const result = newResponse(response);
  if (!result.contentType?.startsWith("text/event-stream") || !response.body) {
    const text = await response.text();
    result.json = text === "" ? undefined : decode(text);
    result.done = Promise.resolve(Date.now());
    return result;
  }
  result.done = readInto(result, response.body, init.onEvent);
  return result;
}

type Recorder = SseResponse & { notify(): void; ended: boolean; arrivals: WeakMap<SseEvent, number> };

function newResponse(response: Response): Recorder {
  const listeners = new Set<() => void>();
  const arrivals = new WeakMap<SseEvent, number>();
  const result: Recorder = {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get("content-type"),
    events: [],
    comments: [],
    json: undefined,
    interrupted: false,
    ended: false,
    arrivals,
    arrivedAt: (event) => arrivals.get(event) ?? Number.NaN,
    done: Promise.resolve(0),
    notify: () => listeners.forEach((listener) => listener()),
    waitFor: (name, timeoutMs = 30_000) => waitForEvent(result, listeners, name, timeoutMs),
    text: () => deltaText(result),
  };
  return result;
}

async function readInto(
  result: Recorder,
  body: ReadableStream<Uint8Array>,
  onEvent: SseRequest["onEvent"],
): Promise<number> {
  try {
    for await (const { event, data } of readServerSentEvents(body, (c) => result.comments.push(c.trim()))) {
      const received: SseEvent = { event, data: decode(data) };
      result.arrivals.set(received, Date.now());
      result.events.push(received);
      onEvent?.(received, result.events);
      result.notify();
    }
  } catch {
    // A body that breaks off ends the stream; callers see `interrupted` and the missing last event.
    result.interrupted = true;
  }
  const endedAt = Date.now();
  result.ended = true;
  result.notify();
  return endedAt;
}

function waitForEvent(
  result: Recorder,
  listeners: Set<() => void>,
  name: string,
  timeoutMs: number,
): Promise<SseEvent> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const hit = result.events.find((e) => e.event === name);
      if (hit) finish(() => resolve(hit));
      else if (result.ended) {
        finish(() =>
          reject(new Error(`the stream ended without a "${name}" event: ${JSON.stringify(result.events)}`)),
        );
      }
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new Error(`no "${name}" event within ${timeoutMs} ms: ${JSON.stringify(result.events)}`)),
        ),
      timeoutMs,
    );
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      listeners.delete(check);
      settle();
    };
    listeners.add(check);
    check();
  });
}
