// The non-streaming surface: health, readiness, models, 404, 413, 415, request ids, CORS,
// security headers, and what the access log records. Every /api/* call signs in.

import { expect } from "chai";
import type { KeyProvider } from "../src/secrets.js";
import { startTestServer, TEST_KEY, useFakeAndServer, type TestServer } from "./support/server.js";
import { postChat } from "./support/sse-client.js";

const chatBody = { messages: [{ role: "user", content: "hi" }] };

describe("HTTP surface", function () {
  const stack = useFakeAndServer(
    {},
    { env: { CORS_ORIGINS: "https://chat.example.com,http://localhost:3000" } },
  );

  it("GET /healthz is 200 ok", async function () {
    const res = await fetch(`${stack.server.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: "ok" });
    expect(res.headers.get("cache-control")).to.equal("no-store");
  });

  it("GET /readyz is 200 ready with a key", async function () {
    const res = await fetch(`${stack.server.url}/readyz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: "ready" });
  });

  it("GET /api/models lists the allowlist and the default", async function () {
    const res = await fetch(`${stack.server.url}/api/models`, { headers: stack.server.auth });
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({
      models: ["gpt-4o-mini", "gpt-4.1-mini"],
      default: "gpt-4o-mini",
    });
  });

  for (const [method, path] of [
    ["GET", "/nope"],
    ["GET", "/api/chat"],
    ["POST", "/api/models"],
    ["DELETE", "/api/chat"],
    ["GET", "/api/chat/../../etc/passwd"],
  ] as const) {
    it(`${method} ${path} is 404 not_found`, async function () {
      const res = await fetch(`${stack.server.url}${path}`, { method, headers: stack.server.auth });
      expect(res.status).to.equal(404);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).to.equal("not_found");
      expect(body.error.message).to.match(/^no route for /);
    });
  }

  it("answers 413 payload_too_large for a chunked body over the limit", async function () {
    // No Content-Length: the limit must also hold while the body streams in.
    const big = new TextEncoder().encode(
      JSON.stringify({ messages: [{ role: "user", content: "x".repeat(2_000_000) }] }),
    );
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 65_536) controller.enqueue(big.subarray(i, i + 65_536));
        controller.close();
      },
    });
    const res = await fetch(`${stack.server.url}/api/chat`, {
      method: "POST",
      headers: { ...stack.server.auth, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).to.equal(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal("payload_too_large");
  });

  it("answers 415 before reading a body that is not JSON", async function () {
    const res = await fetch(`${stack.server.url}/api/chat`, {
      method: "POST",
      headers: { ...stack.server.auth, "content-type": "text/plain" },
      body: "not json at all {",
    });
    expect(res.status).to.equal(415);
    expect(await res.json()).to.deep.equal({
      error: { code: "unsupported_media_type", message: "Content-Type must be application/json" },
    });
  });

  it("echoes a valid X-Request-Id and uses it in the stream and the log", async function () {
    const r = await postChat(stack.server.url, chatBody, {
      headers: { ...stack.server.auth, "x-request-id": "trace-Abc_123.4" },
    });
    expect(r.headers.get("x-request-id")).to.equal("trace-Abc_123.4");
    expect(r.events[0]).to.deep.equal({
      event: "meta",
      data: { requestId: "trace-Abc_123.4", model: "gpt-4o-mini" },
    });
    const line = stack.server.logs.find((e) => e.message === "request" && e.requestId === "trace-Abc_123.4");
    expect(line).to.include({
      method: "POST",
      path: "/api/chat",
      status: 200,
      outcome: "done",
      model: "gpt-4o-mini",
    });
    expect(line?.durationMs).to.be.a("number");
    expect((stack.fake.requests.at(-1)?.headers ?? {})["x-client-request-id"]).to.equal("trace-Abc_123.4");
  });

  for (const [name, id] of [
    ["too long", "a".repeat(129)],
    ["with a space", "abc def"],
    ["with a newline-like character", "abc%0d"],
    ["with non-ASCII", "trace-é"],
  ] as const) {
    it(`replaces an X-Request-Id ${name} with a generated one`, async function () {
      const res = await fetch(`${stack.server.url}/healthz`, { headers: { "x-request-id": encodeURI(id) } });
      const echoed = res.headers.get("x-request-id") ?? "";
      expect(echoed).to.not.equal(encodeURI(id));
      expect(echoed).to.match(/^[0-9a-f-]{36}$/);
    });
  }

  it("generates a request id when none is given", async function () {
    const res = await fetch(`${stack.server.url}/api/models`, { headers: stack.server.auth });
    expect(res.headers.get("x-request-id")).to.match(/^[0-9a-f-]{36}$/);
  });

  it("allows CORS only for configured origins", async function () {
    const allowed = await fetch(`${stack.server.url}/api/models`, {
      headers: { ...stack.server.auth, origin: "https://chat.example.com" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).to.equal("https://chat.example.com");
    expect(allowed.headers.get("access-control-expose-headers")).to.include("X-Request-Id");
    const denied = await fetch(`${stack.server.url}/api/models`, {
      headers: { ...stack.server.auth, origin: "https://evil.example" },
    });
    expect(denied.headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("answers a CORS preflight for POST /api/chat", async function () {
    const res = await fetch(`${stack.server.url}/api/chat`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,x-request-id",
      },
    });
    expect(res.status).to.equal(204);
    expect(res.headers.get("access-control-allow-origin")).to.equal("http://localhost:3000");
    expect(res.headers.get("access-control-allow-methods")).to.include("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).to.include("content-type");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).to.include("authorization");
  });

  it("sets security headers and hides the framework", async function () {
    const res = await fetch(`${stack.server.url}/api/models`, { headers: stack.server.auth });
    expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
    expect(res.headers.get("x-frame-options")).to.equal("SAMEORIGIN");
    expect(res.headers.get("content-security-policy")).to.include("default-src 'self'");
    expect(res.headers.get("x-powered-by")).to.equal(null);
  });

  it("keeps connections open longer than the ALB idle timeout", function () {
    expect(stack.server.running.server.keepAliveTimeout).to.equal(65_000);
    expect(stack.server.running.server.headersTimeout).to.equal(66_000);
  });

  it("logs probes at debug and requests at info", function () {
    const probe = stack.server.logs.find((e) => e.message === "request" && e.path === "/healthz");
    expect(probe?.level).to.equal("debug");
    const models = stack.server.logs.find((e) => e.message === "request" && e.path === "/api/models");
    expect(models?.level).to.equal("info");
  });

  it("never writes the API key, the access token or message content to the log by default", function () {
    expect(stack.server.logs.text()).to.not.include(TEST_KEY);
    expect(stack.server.logs.text()).to.not.include(stack.server.identity?.user.accessToken ?? "(none)");
    expect(stack.server.logs.text()).to.not.include('"content"');
  });
});

describe("without an OpenAI key", function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer({ env: { OPENAI_API_KEY: undefined } });
  });

  after(async function () {
    await server.close();
  });

  it("still starts; /readyz is 503 with the reason", async function () {
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).to.equal(503);
    const body = (await res.json()) as { status: string; reason: string };
    expect(body.status).to.equal("not_ready");
    expect(body.reason).to.match(/no OpenAI API key configured/);
  });

  it("answers chat with 503 openai_key_missing telling the operator what to do", async function () {
    const r = await postChat(server.url, chatBody, { headers: server.auth });
    expect(r.status).to.equal(503);
    const body = r.json as { error: { code: string; message: string } };
    expect(body.error.code).to.equal("openai_key_missing");
    expect(body.error.message).to.include("npm run secret:set -- --env <env>");
    expect(body.error.message).to.include("OPENAI_BASE_URL");
  });
});

describe("unexpected failures", function () {
  let server: TestServer;
  const secretish = "sk-live-9999999999999999999999";

  before(async function () {
    const broken: KeyProvider = {
      source: "environment",
      getKey: () => Promise.reject(new Error(`database exploded near ${secretish}`)),
      refreshAfterRejection: (k) => Promise.resolve(k),
      status: () => ({ ready: true }),
      warm: () => {},
    };
    server = await startTestServer({ keys: () => broken });
  });

  after(async function () {
    await server.close();
  });

  it("answers 500 internal_error without details, and logs them redacted", async function () {
    const r = await postChat(server.url, chatBody, { headers: server.auth });
    expect(r.status).to.equal(500);
    expect(r.json).to.deep.equal({ error: { code: "internal_error", message: "internal error" } });
    const line = server.logs.find((e) => e.message === "unhandled error");
    expect(JSON.stringify(line)).to.include("database exploded");
    expect(server.logs.text()).to.not.include(secretish);
  });
});
