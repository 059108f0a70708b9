// Builders for the JSON shapes the real OpenAI Chat Completions API sends, so that the
// official SDK parses our output exactly as it parses OpenAI's.

import { randomBytes } from "node:crypto";

export interface ChatMessage {
  role: string;
  content: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

export type FinishReason = "stop" | "length";

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function completionId(): string {
  return `chatcmpl-${randomBytes(12).toString("base64url")}`;
}

export function requestId(): string {
  return `req_${randomBytes(16).toString("hex")}`;
}

/** Splits text the way tokens look on the wire: each piece carries its leading whitespace. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

/** A rough prompt token count (about four characters a token), good enough for usage figures. */
export function countPromptTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) chars += typeof m.content === "string" ? m.content.length : 0;
  return Math.max(1, Math.ceil(chars / 4)) + 3 * messages.length;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

interface ChunkBase {
  id: string;
  model: string;
  created: number;
  includeUsage: boolean;
}

/** One `chat.completion.chunk`; with include_usage every chunk carries `usage: null` but the last. */
export function chunk(
  base: ChunkBase,
  choice: { delta: Record<string, unknown>; finishReason: FinishReason | null } | null,
  chunkUsage?: Usage,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: base.id,
    object: "chat.completion.chunk",
    created: base.created,
    model: base.model,
    service_tier: "default",
    system_fingerprint: "fp_fake",
    choices: choice
      ? [{ index: 0, delta: choice.delta, logprobs: null, finish_reason: choice.finishReason }]
      : [],
  };
  if (base.includeUsage) out.usage = chunkUsage ?? null;
  return out;
}

export function completion(
  model: string,
  content: string,
  finishReason: FinishReason,
  totals: Usage,
): Record<string, unknown> {
  return {
    id: completionId(),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: totals,
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
}

export function errorBody(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/** The bodies OpenAI returns for the statuses tests ask for; anything else gets a generic server error. */
export function statusErrorBody(status: number, model: string): OpenAIErrorBody {
  switch (status) {
    case 401:
      return errorBody(
        "Incorrect API key provided: sk-fake***. You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        "invalid_api_key",
      );
    case 403:
      return errorBody("You are not allowed to sample from this model", "invalid_request_error");
    case 404:
      return errorBody(
        `The model \`${model}\` does not exist or you do not have access to it.`,
        "invalid_request_error",
        "model_not_found",
      );
    case 429:
      return errorBody(
        `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.`,
        "requests",
        "rate_limit_exceeded",
      );
    case 503:
      return errorBody("The engine is currently overloaded, please try again later", "server_error");
    default:
      return errorBody(
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
      );
  }
}
