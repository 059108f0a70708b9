// Streaming through the real OpenAI SDK against the fake upstream: the happy path, every
// upstream failure mode, heartbeats, idle timeouts and client disconnects.

import { expect } from "chai";
import { eventually, TEST_KEY, useFakeAndServer } from "./support/server.js";
import { deltaText, eventNames, postChat } from "./support/sse-client.js";

const chatBody = { messages: [{ role: "user", content: "Say hello" }] };

function errorOf(json: unknown): { code: string; message: string } {
  return (json as { error: { code: string; message: string } }).error;
}

describe("POST /api/chat streaming", function () {
  const stack = useFakeAndServer(
    { reply: "Hello there, how can I help?" },
    { env: { OPENAI_TIMEOUT_MS: "1500" } },
  );

  it("streams meta, one delta per upstream token, then done with usage", async function () {
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-type")).to.equal("text/event-stream; charset=utf-8");
    expect(r.headers.get("cache-control")).to.equal("no-cache, no-transform");
    expect(r.headers.get("x-accel-buffering")).to.equal("no");
    const names = eventNames(r);
    expect(names[0]).to.equal("meta");
    expect(names.at(-1)).to.equal("done");
    expect(names.slice(1, -1).every((n) => n === "delta")).to.equal(true);
    expect(names.filter((n) => n === "delta")).to.have.length(6);
    expect(deltaText(r)).to.equal("Hello there, how can I help?");
    const meta = r.events[0]?.data as { requestId: string; model: string };
    expect(meta.model).to.equal("gpt-4o-mini");
    expect(meta.requestId).to.equal(r.headers.get("x-request-id"));
    const done = r.events.at(-1)?.data as { finishReason: string; usage: Record<string, number> };
    expect(done.finishReason).to.equal("stop");
    expect(done.usage).to.have.keys(["promptTokens", "completionTokens", "totalTokens"]);
    expect(done.usage.completionTokens).to.equal(6);
    expect(done.usage.totalTokens).to.equal(done.usage.promptTokens! + 6);
  });

  it("sends the configured key, the model, streaming options and the messages upstream", async function () {
    await postChat(stack.server.url, { ...chatBody, model: "gpt-4.1-mini" }, { headers: stack.server.auth });
    const req = stack.fake.requests.at(-1)!;
    expect(req.path).to.equal("/v1/chat/completions");
    expect(req.headers.authorization).to.equal(`Bearer ${TEST_KEY}`);
    expect(req.body).to.deep.include({
      model: "gpt-4.1-mini",
      stream: true,
      stream_options: { include_usage: true },
      messages: chatBody.messages,
    });
  });

  it("maps upstream 401 to 502 openai_key_rejected", async function () {
    stack.fake.setScenario({ kind: "status", status: 401 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(502);
    expect(r.json).to.deep.equal({
      error: { code: "openai_key_rejected", message: "the OpenAI API key was rejected" },
    });
  });

  it("maps upstream 429 to 429 upstream_rate_limited with the upstream Retry-After", async function () {
    stack.fake.setScenario({ kind: "status", status: 429, retryAfter: 17 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(429);
    expect(r.headers.get("retry-after")).to.equal("17");
    expect(errorOf(r.json).code).to.equal("upstream_rate_limited");
    expect(errorOf(r.json).message).to.not.include("Rate limit reached");
  });

  it("maps upstream 429 without Retry-After to 429 with a default Retry-After", async function () {
    stack.fake.setScenario({ kind: "status", status: 429 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(429);
    expect(Number(r.headers.get("retry-after"))).to.be.at.least(1);
  });

  for (const status of [500, 503] as const) {
    it(`maps upstream ${status} to 502 upstream_error without upstream text`, async function () {
      stack.fake.setScenario({ kind: "status", status });
      const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
      expect(r.status).to.equal(502);
      expect(errorOf(r.json).code).to.equal("upstream_error");
      expect(JSON.stringify(r.json)).to.not.match(/overloaded|Sorry about that|stack|at /);
    });
  }

  it("maps an upstream that never answers to 504 upstream_timeout and abandons the request", async function () {
    stack.fake.setScenario({ kind: "hang" });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(504);
    expect(errorOf(r.json).code).to.equal("upstream_timeout");
    await stack.fake.waitForAborted(1);
  });

  it("maps a first token slower than the timeout to 504 upstream_timeout", async function () {
    stack.fake.setScenario({ kind: "slow", firstTokenDelayMs: 20_000 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(504);
    expect(errorOf(r.json).code).to.equal("upstream_timeout");
  });

  it("streams a slow first token that is within the timeout", async function () {
    stack.fake.setScenario({ kind: "slow", firstTokenDelayMs: 100 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(eventNames(r).at(-1)).to.equal("done");
  });

  it("ends with an error event when the upstream cuts the stream", async function () {
    stack.fake.setScenario({ kind: "cut", afterTokens: 2 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(200);
    expect(eventNames(r)).to.deep.equal(["meta", "delta", "delta", "error"]);
    const error = r.events.at(-1)?.data as { code: string; message: string };
    expect(error.code).to.equal("upstream_error");
    expect(error.message).to.not.match(/terminated|socket|TypeError/);
    expect(r.interrupted).to.equal(false);
  });

  it("ends with an error event when the stream goes quiet for longer than the timeout", async function () {
    stack.fake.setScenario({ kind: "ok", tokenDelayMs: 30_000 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(eventNames(r)).to.deep.equal(["meta", "error"]);
    expect(r.events.at(-1)?.data).to.deep.include({ code: "upstream_timeout" });
    await stack.fake.waitForAborted(1);
  });

  it("aborts the upstream request when the client disconnects", async function () {
    stack.fake.setScenario({ kind: "ok", reply: "a b c d e f g h i j k l m n o p", tokenDelayMs: 100 });
    const controller = new AbortController();
    const r = await postChat(stack.server.url, chatBody, {
      headers: stack.server.auth,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === "delta") controller.abort();
      },
    });
    expect(r.interrupted).to.equal(true);
    await stack.fake.waitForAborted(1);
    const requestId = (r.events[0]?.data as { requestId: string }).requestId;
    const logged = () => stack.server.logs.find((e) => e.message === "request" && e.requestId === requestId);
    await eventually(() => logged() !== undefined, 5000, "the request log line");
    expect(logged()).to.include({ outcome: "client_closed", clientClosed: true });
    expect(stack.server.lifecycle.activeStreams).to.equal(0);
  });

  it("aborts the upstream request when the client leaves before the first token", async function () {
    stack.fake.setScenario({ kind: "hang" });
    const controller = new AbortController();
    const pending = postChat(stack.server.url, chatBody, {
      headers: stack.server.auth,
      signal: controller.signal,
    }).catch((err: unknown) => err);
    // Wait until the request has reached the fake, then leave.
    while (stack.fake.state().chatRequests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await pending).to.be.instanceOf(Error);
    await stack.fake.waitForAborted(1);
  });

  it("never logs the key or the message content", function () {
    expect(stack.server.logs.text()).to.not.include(TEST_KEY);
    expect(stack.server.logs.text()).to.not.include("Say hello");
    expect(stack.server.logs.text()).to.not.include("Hello there");
  });
});

describe("POST /api/chat with retries, heartbeats and content logging", function () {
  const stack = useFakeAndServer(
    { reply: "alpha beta gamma" },
    { env: { OPENAI_MAX_RETRIES: "2", HEARTBEAT_INTERVAL_MS: "20", LOG_MESSAGE_CONTENT: "true" } },
  );

  it("retries an upstream 500 and then streams", async function () {
    stack.fake.setScenario({ kind: "status", status: 500, times: 1 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(eventNames(r).at(-1)).to.equal("done");
    expect(stack.fake.state().chatRequests).to.equal(2);
  });

  it("gives up after OPENAI_MAX_RETRIES retries", async function () {
    stack.fake.setScenario({ kind: "status", status: 503 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(502);
    expect(stack.fake.state().chatRequests).to.equal(3);
  });

  it("does not retry a 429 whose Retry-After is long; the client gets it", async function () {
    stack.fake.setScenario({ kind: "status", status: 429, retryAfter: 30 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(429);
    expect(r.headers.get("retry-after")).to.equal("30");
    expect(stack.fake.state().chatRequests).to.equal(1);
  });

  it("does not retry a 401", async function () {
    stack.fake.setScenario({ kind: "status", status: 401 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(502);
    expect(stack.fake.state().chatRequests).to.equal(1);
  });

  it("sends heartbeat comments while the answer is slow", async function () {
    stack.fake.setScenario({ kind: "ok", tokenDelayMs: 150 });
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(eventNames(r).at(-1)).to.equal("done");
    expect(r.comments).to.include("heartbeat");
  });

  it("logs message content and the reply when LOG_MESSAGE_CONTENT is on", async function () {
    await postChat(
      stack.server.url,
      { messages: [{ role: "user", content: "log me please" }] },
      { headers: stack.server.auth },
    );
    const line = stack.server.logs
      .entries()
      .reverse()
      .find((e) => e.message === "request" && e.path === "/api/chat");
    expect(JSON.stringify(line?.messages)).to.include("log me please");
    expect(line?.reply).to.equal("alpha beta gamma");
  });
});
