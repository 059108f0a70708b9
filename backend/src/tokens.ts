// Counts a chat's prompt tokens the way OpenAI will (gpt-tokenizer's encodeChat: the messages plus
// the chat format's framing), so the reservation is close to what is billed. Each encoding is
// imported on its own and only when needed: o200k's tables alone take about 70 MB of memory, so
// a backend without budgets never loads them, and cl100k loads only if a model needs it.

import type { ChatMessage } from "./openai.js";

type Encoding = Pick<typeof import("gpt-tokenizer/encoding/o200k_base"), "encodeChat" | "encode">;

/** Chat models of the older encoding; everything else (gpt-4o*, gpt-4.1*, o*, unknown) is o200k. */
const CL100K = /^(gpt-4(?!o|\.)|gpt-3\.5)/;

let o200k: Promise<Encoding> | undefined;
let cl100k: Promise<Encoding> | undefined;

function loadO200k(): Promise<Encoding> {
  o200k ??= import("gpt-tokenizer/encoding/o200k_base");
  return o200k;
}

function encodingFor(model: string): Promise<Encoding> {
  if (!CL100K.test(model)) return loadO200k();
  cl100k ??= import("gpt-tokenizer/encoding/cl100k_base");
  return cl100k;
}

/** Loads the common encoding at start-up, so the first chat does not wait for it. */
export async function warmTokenizer(): Promise<void> {
  await loadO200k();
}

// The framing model each encoding's chat format is known under (user content never changes it).
const FRAMING = { o200k: "gpt-4o", cl100k: "gpt-4" } as const;

/**
 * Text such as "<|endoftext|>" in a message is counted as plain text (as OpenAI treats it),
 * instead of making the tokenizer throw.
 */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Byte-pair encoding is quadratic in the length of one word: 32,000 characters without a space
 * take about a second of CPU. Such runs are counted in slices instead (a token or so more per
 * slice than the exact figure, which only makes the reservation a little larger).
 */
const LONG_RUN = /\S{257,}/g;
const SLICE = 256;

function countRun(encoding: Encoding, run: string): number {
  let n = 0;
  for (let i = 0; i < run.length;) {
    let end = Math.min(i + SLICE, run.length);
    // Never cut a surrogate pair in two.
    if (end < run.length && /[\uDC00-\uDFFF]/.test(run[end] ?? "")) end -= 1;
    n += encoding.encode(run.slice(i, end), AS_TEXT).length;
    i = end;
  }
  return n;
}

export async function countPromptTokens(model: string, messages: readonly ChatMessage[]): Promise<number> {
  const cl = CL100K.test(model);
  const encoding = await encodingFor(model);
  const framing = cl ? FRAMING.cl100k : FRAMING.o200k;
  let runs = 0;
  const framed = messages.map((m) => {
    if (m.content.length <= SLICE) return m;
    const content = m.content.replace(LONG_RUN, (run) => {
      runs += countRun(encoding, run);
      return " ";
    });
    return content === m.content ? m : { ...m, content };
  });
  return encoding.encodeChat(framed, framing, AS_TEXT).length + runs;
}
