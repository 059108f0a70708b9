// A small client for POST /api/chat that reads the SSE stream as it arrives, so tests can act
// on an event (abort, send SIGTERM) while the stream is still running.

export interface SseEvent {
  event: string;
  data: unknown;
}

export interface ChatResult {
  status: number;
  headers: Headers;
  /** SSE events in order (empty for a JSON answer). */
  events: SseEvent[];
  /** SSE comment lines such as "heartbeat". */
  comments: string[];
  /** The parsed JSON body when the answer was not a stream. */
  json: unknown;
  /** True when the stream broke off (our abort or the server went away). */
  interrupted: boolean;
}

export interface ChatInit {
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON.stringify(body). */
  rawBody?: string | Uint8Array;
  signal?: AbortSignal;
  /** Called for each event as it is parsed. */
  onEvent?: (event: SseEvent, all: SseEvent[]) => void;
}

export async function postChat(baseUrl: string, body: unknown, init: ChatInit = {}): Promise<ChatResult> {
  const res = await fetch(`${baseUrl}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.rawBody ?? JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const result: ChatResult = {
    status: res.status,
    headers: res.headers,
    events: [],
    comments: [],
    json: undefined,
    interrupted: false,
  };
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const text = await res.text();
    result.json = text === "" ? undefined : (JSON.parse(text) as unknown);
    return result;
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) result.comments.push(line.slice(1).trim());
          else if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trim());
        }
        if (data.length === 0) continue;
        const parsed: SseEvent = { event, data: JSON.parse(data.join("\n")) as unknown };
        result.events.push(parsed);
        init.onEvent?.(parsed, result.events);
      }
    }
  } catch {
    result.interrupted = true;
  }
  return result;
}

export function eventNames(r: ChatResult): string[] {
  return r.events.map((e) => e.event);
}

export function deltaText(r: ChatResult): string {
  return r.events
    .filter((e) => e.event === "delta")
    .map((e) => (e.data as { text: string }).text)
    .join("");
}
