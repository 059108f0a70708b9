import { createParser } from "eventsource-parser";

export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Parses a text/event-stream body into events as bytes arrive, with `eventsource-parser` (the WHATWG rules:
 * a blank line ends an event, `:` starts a comment such as the backend's heartbeat, data lines join with "\n").
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const parsed: ServerSentEvent[] = [];
  const parser = createParser({
    onEvent: (message) => parsed.push({ event: message.event || "message", data: message.data }),
  });
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
