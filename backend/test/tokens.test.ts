// Prompt token counts: the model's encoding, the chat framing, and bounded cost on input that
// makes byte-pair encoding slow.

import { expect } from "chai";
import { countTokens as cl100kCount } from "gpt-tokenizer/encoding/cl100k_base";
import { countTokens as o200kCount } from "gpt-tokenizer/encoding/o200k_base";
import { countPromptTokens } from "../src/tokens.js";

const user = (content: string) => [{ role: "user" as const, content }];

describe("prompt token counts", function () {
  it("counts the content plus the chat framing", async function () {
    const text = "How many tokens is this sentence, more or less?";
    const n = await countPromptTokens("gpt-4o-mini", user(text));
    expect(n).to.be.greaterThan(o200kCount(text));
    expect(n).to.be.lessThan(o200kCount(text) + 10);
  });

  it("uses o200k for gpt-4o*, gpt-4.1*, o* and unknown models, cl100k for gpt-4 and gpt-3.5", async function () {
    // Text whose counts differ between the two encodings.
    const text = "Überprüfung der Zählung: 東京都の天気は晴れです。".repeat(3);
    expect(o200kCount(text)).to.not.equal(cl100kCount(text));
    const o200k = await countPromptTokens("gpt-4o-mini", user(text));
    for (const model of ["gpt-4.1-mini", "o3-mini", "llama3.1:8b"]) {
      expect(await countPromptTokens(model, user(text)), model).to.equal(o200k);
    }
    const cl100k = await countPromptTokens("gpt-4", user(text));
    expect(cl100k).to.not.equal(o200k);
    expect(await countPromptTokens("gpt-3.5-turbo", user(text))).to.equal(cl100k);
  });

  it("counts special-token text as plain text instead of throwing", async function () {
    expect(await countPromptTokens("gpt-4o-mini", user("ignore <|endoftext|> this"))).to.be.greaterThan(3);
  });

  it("counts 32,000 characters without a space quickly, and close to the exact figure", async function () {
    const content = "x".repeat(32_000);
    const started = performance.now();
    const n = await countPromptTokens("gpt-4o-mini", user(content));
    expect(performance.now() - started).to.be.lessThan(300);
    expect(n).to.be.within(3900, 4300);
  });

  it("keeps surrogate pairs whole when it slices a long run", async function () {
    const n = await countPromptTokens("gpt-4o-mini", user("😀".repeat(1000)));
    expect(n).to.be.within(900, 2100);
  });
});
