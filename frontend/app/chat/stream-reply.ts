import { ChatError, streamChat } from "./api";
import type { ChatMessage } from "./types";

export type ReplyOutcome = { text: string; model: string | undefined } & (
  { status: "done"; budget: unknown } | { status: "stopped" } | { status: "error"; error: ChatError }
);

/**
 * Streams one reply to `history` and resolves with how it ended; it never rejects. Aborting `signal` stops it.
 * onProgress gets the text so far at most once per animation frame: smooth on slow phones, even at hundreds
 * of tokens a second.
 */
export async function streamReply(
  history: ChatMessage[],
  model: string | undefined,
  signal: AbortSignal,
  onProgress: (text: string, model: string | undefined) => void,
): Promise<ReplyOutcome> {
  let text = "";
  let replyModel = model;
  let frame = 0;
  const flush = (): void => {
    frame = 0;
    onProgress(text, replyModel);
  };
  try {
    const done = await streamChat(
      {
        messages: history.filter((m) => m.content.trim()).map(({ role, content }) => ({ role, content })),
        ...(replyModel ? { model: replyModel } : {}),
      },
      {
        signal,
        onMeta: (meta) => {
          if (meta.model) replyModel = meta.model;
        },
        onDelta: (delta) => {
          text += delta;
          frame ||= requestAnimationFrame(flush);
        },
      },
    );
    return { status: "done", text, model: replyModel, budget: done.budget };
  } catch (err) {
    if (signal.aborted) return { status: "stopped", text, model: replyModel };
    const error = err instanceof ChatError ? err : new ChatError("unknown", String(err));
    return { status: "error", error, text, model: replyModel };
  } finally {
    cancelAnimationFrame(frame);
  }
}
