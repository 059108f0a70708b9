// POST /api/chat read as Server-Sent Events while they arrive (the shared client in test-support), so tests
// can act on an event (abort, send SIGTERM) while the stream is still running.

import { postSse, type SseEvent, type SseRequest, type SseResponse } from "@fargate-ai-stack/test-support";

export { deltaText, eventNames } from "@fargate-ai-stack/test-support";
export type { SseEvent };

/** The whole answer: status, headers, the events (or the JSON body of a non-stream answer), comments. */
export type ChatResult = Omit<SseResponse, "done" | "waitFor" | "text">;

export async function postChat(baseUrl: string, body: unknown, init: SseRequest = {}): Promise<ChatResult> {
  const response = await postSse(`${baseUrl}/api/chat`, body, init);
  await response.done;
  return response;
}
