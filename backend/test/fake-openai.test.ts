// The fake upstream itself: importable by package name, the official SDK understands it,
// it can be steered in-process and over HTTP, and its CLI runs as a separate process.

import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import OpenAI from "openai";
import { startFakeOpenAI, type FakeOpenAI } from "@fargate-ai-stack/fake-openai";

const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

describe("fake OpenAI server", function () {
  let fake: FakeOpenAI;
  let client: OpenAI;

  before(async function () {
    fake = await startFakeOpenAI({ reply: "one two three four" });
    client = new OpenAI({ apiKey: "sk-fake", baseURL: fake.url, maxRetries: 0 });
  });

  beforeEach(function () {
    fake.reset();
    fake.setExpectedKey(undefined);
  });

  after(async function () {
    await fake.close();
  });

  it("has a base URL ending in /v1", function () {
    expect(fake.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it("streams chunks the SDK parses, with a usage chunk", async function () {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).to.equal("one two three four");
    expect(finish).to.equal("stop");
    expect(usage?.completion_tokens).to.equal(4);
  });

  it("answers without streaming, honouring max_tokens", async function () {
    const res = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 2,
    });
    expect(res.choices[0]?.message.content).to.equal("one two");
    expect(res.choices[0]?.finish_reason).to.equal("length");
  });

  it("lists models", async function () {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).to.include("gpt-4o-mini");
  });

  it("answers errors in OpenAI's shape", async function () {
    fake.setScenario({ kind: "status", status: 429, retryAfter: 3 });
    const err = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.code).to.equal("rate_limit_exceeded");
    expect(e.headers?.get("retry-after")).to.equal("3");
  });

  it("rejects a wrong key once a key is expected, and records the authorization header", async function () {
    fake.setExpectedKey("sk-right");
    const err = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).code).to.equal("invalid_api_key");
    expect(fake.requests.at(-1)?.headers.authorization).to.equal("Bearer sk-fake");
  });

  it("applies a scenario for `times` requests, then goes back to ok", async function () {
    fake.setScenario({ kind: "status", status: 500, times: 1 });
    const first = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(first).to.be.instanceOf(OpenAI.InternalServerError);
    const second = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "x" }],
    });
    expect(second.choices[0]?.finish_reason).to.equal("stop");
  });

  it("is steerable over HTTP and reports state without secrets", async function () {
    const base = fake.url.replace(/\/v1$/, "");
    const set = await fetch(`${base}/__control/scenario`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "cut", afterTokens: 1 }),
    });
    expect(set.status).to.equal(200);
    const bad = await fetch(`${base}/__control/scenario`, { method: "POST", body: '{"kind":"explode"}' });
    expect(bad.status).to.equal(400);
    await fetch(`${base}/__control/expected-key`, { method: "POST", body: '{"key":"sk-hidden-value"}' });
    const state = (await (await fetch(`${base}/__control/state`)).json()) as Record<string, unknown>;
    expect(state).to.include({ scenario: "cut", expectsKey: true, aborted: 0 });
    expect(JSON.stringify(state)).to.not.include("sk-hidden-value");
  });

  it("counts requests whose client went away", async function () {
    fake.setScenario({ kind: "hang" });
    const controller = new AbortController();
    const pending = client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] }, { signal: controller.signal })
      .catch(() => undefined);
    while (fake.state().chatRequests === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await pending;
    await fake.waitForAborted(1);
    expect(fake.aborted).to.equal(1);
  });

  it("runs as a CLI that prints its URL and exits 0 on SIGTERM", async function () {
    this.timeout(20_000);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/fake-openai/src/cli.ts", "--port", "0", "--host", "127.0.0.1"],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
    const url = await new Promise<string>((res, rej) => {
      let out = "";
      child.stdout!.setEncoding("utf8").on("data", (s: string) => {
        out += s;
        const m = /^listening (\S+)$/m.exec(out);
        if (m?.[1]) res(m[1]);
      });
      child.once("exit", () => rej(new Error(`cli exited early: ${out}`)));
    });
    const models = await fetch(`${url}/models`, { headers: { authorization: "Bearer x" } });
    expect(models.status).to.equal(200);
    child.kill("SIGTERM");
    expect(await exited).to.equal(0);
  });
});
