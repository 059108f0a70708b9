// Opens an upstream stream with the current key. When OpenAI rejects the key, the secret may
// have been rotated: read it once more and, if it changed, try once with the new value.
// Upstream failures come out as AppError; key provider failures pass through unchanged.

import type { Logger } from "./logger.js";
import {
  toUpstreamAppError,
  type ChatUpstream,
  type OpenStreamParams,
  type UpstreamEvent,
} from "./openai.js";
import type { KeyProvider } from "./secrets.js";

export async function openChatStream(
  keys: KeyProvider,
  upstream: ChatUpstream,
  logger: Logger,
  params: Omit<OpenStreamParams, "apiKey">,
): Promise<AsyncIterable<UpstreamEvent>> {
  const key = await keys.getKey();
  try {
    return await upstream.openStream({ ...params, apiKey: key });
  } catch (err) {
    const error = toUpstreamAppError(err);
    if (params.signal.aborted || error.code !== "openai_key_rejected") throw error;
    const fresh = await keys.refreshAfterRejection(key);
    if (fresh === key) throw error;
    logger.info("retrying with the newly loaded OpenAI API key", { requestId: params.requestId });
    try {
      return await upstream.openStream({ ...params, apiKey: fresh });
    } catch (retryErr) {
      throw toUpstreamAppError(retryErr);
    }
  }
}
