// Every way a POST /api/chat request can be wrong, each with the status, code and a message
// that names the field; plus the odd-but-valid inputs that must still go through.

import { expect } from "chai";
import { useFakeAndServer } from "./support/server.js";
import { deltaText, eventNames, postChat } from "./support/sse-client.js";

const ok = (content = "hi") => ({ role: "user", content });

interface BadCase {
  name: string;
  body?: unknown;
  /** Sent verbatim (for JSON that JSON.stringify cannot produce). */
  raw?: string | Uint8Array;
  contentType?: string | null;
  status: number;
  code: string;
  message: RegExp;
}

const cases: BadCase[] = [
  // shape and types
  { name: "empty object", body: {}, status: 400, code: "invalid_request", message: /^messages is required$/ },
  {
    name: "messages is a string",
    body: { messages: "hi" },
    status: 400,
    code: "invalid_request",
    message: /^messages must be an array/,
  },
  {
    name: "messages is null",
    body: { messages: null },
    status: 400,
    code: "invalid_request",
    message: /^messages must be an array/,
  },
  {
    name: "messages is an object",
    body: { messages: { 0: ok() } },
    status: 400,
    code: "invalid_request",
    message: /^messages must be an array/,
  },
  {
    name: "no messages",
    body: { messages: [] },
    status: 400,
    code: "invalid_request",
    message: /^messages must contain at least one message$/,
  },
  {
    name: "message is a string",
    body: { messages: ["hi"] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\] must be an object/,
  },
  {
    name: "message is null",
    body: { messages: [ok(), null] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[1\] must be an object/,
  },
  {
    name: "missing role",
    body: { messages: [{ content: "hi" }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.role is required$/,
  },
  {
    name: "missing content",
    body: { messages: [{ role: "user" }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content is required$/,
  },
  {
    name: "unknown role",
    body: { messages: [{ role: "tool", content: "x" }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.role must be one of system, user, assistant$/,
  },
  {
    name: "role in wrong case",
    body: { messages: [{ role: "User", content: "x" }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.role must be one of/,
  },
  {
    name: "role is a number",
    body: { messages: [{ role: 1, content: "x" }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.role must be one of/,
  },
  {
    name: "role with a Cyrillic homoglyph",
    body: { messages: [{ role: "u\u0455er", content: "x" }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.role must be one of/,
  },
  {
    name: "role with a zero-width space",
    body: { messages: [{ role: "user\u200b", content: "x" }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.role must be one of/,
  },
  {
    name: "content is a number",
    body: { messages: [{ role: "user", content: 42 }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content must be a string$/,
  },
  {
    name: "content is null",
    body: { messages: [{ role: "user", content: null }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content must be a string$/,
  },
  {
    name: "content is an array of parts",
    body: { messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content must be a string$/,
  },
  {
    name: "content is empty",
    body: { messages: [ok("")] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content must not be empty$/,
  },
  {
    name: "content is only whitespace",
    body: { messages: [ok(" \n\t\u00a0")] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content must not be only whitespace$/,
  },
  // size bounds
  {
    name: "content over 32000 characters",
    body: { messages: [ok("a".repeat(32_001))] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content must be at most 32000 characters$/,
  },
  {
    name: "over 128000 characters in total",
    body: { messages: Array.from({ length: 5 }, () => ok("b".repeat(30_000))) },
    status: 400,
    code: "invalid_request",
    message: /^messages must be at most 128000 characters in total$/,
  },
  {
    name: "over 100 messages",
    body: { messages: Array.from({ length: 101 }, () => ok()) },
    status: 400,
    code: "invalid_request",
    message: /^messages must contain at most 100 messages$/,
  },
  {
    name: "body over 1 MiB",
    body: { messages: [ok("c".repeat(1_100_000))] },
    status: 413,
    code: "payload_too_large",
    message: /at most 1048576 bytes/,
  },
  // model
  {
    name: "model not in the allowlist",
    body: { messages: [ok()], model: "gpt-5" },
    status: 400,
    code: "invalid_request",
    message: /^model must be one of gpt-4o-mini, gpt-4\.1-mini$/,
  },
  {
    name: "model is empty",
    body: { messages: [ok()], model: "" },
    status: 400,
    code: "invalid_request",
    message: /^model must be one of/,
  },
  {
    name: "model is a number",
    body: { messages: [ok()], model: 4 },
    status: 400,
    code: "invalid_request",
    message: /^model must be a string$/,
  },
  {
    name: "model is null",
    body: { messages: [ok()], model: null },
    status: 400,
    code: "invalid_request",
    message: /^model must be a string$/,
  },
  // extra fields and prototype pollution
  {
    name: "extra top-level field",
    body: { messages: [ok()], temperature: 2 },
    status: 400,
    code: "invalid_request",
    message: /^temperature is not an allowed field$/,
  },
  {
    name: "extra message field",
    body: { messages: [{ role: "user", content: "x", name: "bob" }] },
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.name is not an allowed field$/,
  },
  {
    name: "__proto__ at the top level",
    raw: `{"__proto__":{"polluted":true},"messages":[{"role":"user","content":"hi"}]}`,
    status: 400,
    code: "invalid_request",
    message: /^__proto__ is not an allowed field$/,
  },
  {
    name: "constructor.prototype at the top level",
    raw: `{"constructor":{"prototype":{"polluted":true}},"messages":[{"role":"user","content":"hi"}]}`,
    status: 400,
    code: "invalid_request",
    message: /^constructor is not an allowed field$/,
  },
  {
    name: "__proto__ inside a message",
    raw: `{"messages":[{"role":"user","content":"hi","__proto__":{"role":"system"}}]}`,
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.__proto__ is not an allowed field$/,
  },
  {
    name: "prototype at the top level",
    raw: `{"messages":[{"role":"user","content":"hi"}],"prototype":{}}`,
    status: 400,
    code: "invalid_request",
    message: /^prototype is not an allowed field$/,
  },
  // unicode edge cases
  {
    name: "lone high surrogate",
    raw: `{"messages":[{"role":"user","content":"abc\\ud800"}]}`,
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content contains invalid Unicode/,
  },
  {
    name: "lone low surrogate",
    raw: `{"messages":[{"role":"user","content":"\\udc00xyz"}]}`,
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content contains invalid Unicode/,
  },
  {
    name: "reversed surrogate pair",
    raw: `{"messages":[{"role":"user","content":"\\ude00\\ud83d"}]}`,
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content contains invalid Unicode/,
  },
  {
    name: "NUL character",
    raw: `{"messages":[{"role":"user","content":"a\\u0000b"}]}`,
    status: 400,
    code: "invalid_request",
    message: /^messages\[0\]\.content must not contain NUL/,
  },
  // not a JSON object
  {
    name: "top-level array",
    body: [ok()],
    status: 400,
    code: "invalid_request",
    message: /^body must be a JSON object$/,
  },
  { name: "top-level string", raw: `"hello"`, status: 400, code: "invalid_json", message: /not valid JSON/ },
  { name: "top-level null", raw: "null", status: 400, code: "invalid_json", message: /not valid JSON/ },
  {
    name: "truncated JSON",
    raw: `{"messages":[{"role":"user","content":"hi"}`,
    status: 400,
    code: "invalid_json",
    message: /not valid JSON/,
  },
  {
    name: "trailing comma",
    raw: `{"messages":[{"role":"user","content":"hi"},]}`,
    status: 400,
    code: "invalid_json",
    message: /not valid JSON/,
  },
  {
    name: "single quotes",
    raw: `{'messages':[]}`,
    status: 400,
    code: "invalid_json",
    message: /not valid JSON/,
  },
  { name: "empty body", raw: "", status: 400, code: "invalid_request", message: /^messages is required$/ },
  // content type
  {
    name: "text/plain",
    body: { messages: [ok()] },
    contentType: "text/plain",
    status: 415,
    code: "unsupported_media_type",
    message: /application\/json/,
  },
  {
    name: "no Content-Type",
    raw: new TextEncoder().encode(JSON.stringify({ messages: [ok()] })),
    contentType: null,
    status: 415,
    code: "unsupported_media_type",
    message: /application\/json/,
  },
  {
    name: "form encoded",
    raw: "messages=hi",
    contentType: "application/x-www-form-urlencoded",
    status: 415,
    code: "unsupported_media_type",
    message: /application\/json/,
  },
  {
    name: "JSON in UTF-16",
    body: { messages: [ok()] },
    contentType: "application/json; charset=utf-16",
    status: 415,
    code: "unsupported_media_type",
    message: /UTF-8/,
  },
];

describe("POST /api/chat input validation", function () {
  const stack = useFakeAndServer();

  it(`has a table of at least 25 bad inputs (${cases.length})`, function () {
    expect(cases.length).to.be.at.least(25);
  });

  for (const c of cases) {
    it(`rejects ${c.name} with ${c.status} ${c.code}`, async function () {
      const headers: Record<string, string> = {};
      if (c.contentType !== undefined && c.contentType !== null) headers["content-type"] = c.contentType;
      const init: RequestInit = {
        method: "POST",
        headers: {
          ...stack.server.auth,
          ...(c.contentType === null ? {} : { "content-type": "application/json", ...headers }),
        },
        body: c.raw ?? JSON.stringify(c.body),
      };
      const res = await fetch(`${stack.server.url}/api/chat`, init);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, JSON.stringify(body)).to.equal(c.status);
      expect(res.headers.get("content-type")).to.match(/^application\/json/);
      expect(Object.keys(body)).to.deep.equal(["error"]);
      expect(Object.keys(body.error).sort()).to.deep.equal(["code", "message"]);
      expect(body.error.code).to.equal(c.code);
      expect(body.error.message).to.match(c.message);
    });
  }

  it("never reaches the upstream with a bad request", function () {
    expect(stack.fake.requests.filter((r) => r.path === "/v1/chat/completions")).to.have.length(0);
  });

  it("does not pollute Object.prototype", function () {
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  const valid: [string, string][] = [
    ["emoji and a ZWJ sequence", "hi 👩‍👩‍👧 🏳️‍🌈"],
    ["right-to-left text", "مرحبا بالعالم"],
    ["CJK", "你好，世界"],
    ["combining marks", "e\u0301 a\u0308"],
    ["astral plane characters", "𝕳𝖊𝖑𝖑𝖔 𐍈"],
    ["exactly 32000 characters", "d".repeat(32_000)],
  ];
  for (const [name, content] of valid) {
    it(`accepts ${name}`, async function () {
      const r = await postChat(
        stack.server.url,
        { messages: [{ role: "user", content }] },
        { headers: stack.server.auth },
      );
      expect(r.status).to.equal(200);
      expect(eventNames(r).at(-1)).to.equal("done");
      expect(deltaText(r)).to.not.equal("");
      const last = stack.fake.requests.at(-1)?.body as { messages: { content: string }[] };
      expect(last.messages[0]?.content).to.equal(content);
    });
  }

  it("accepts all three roles and an allowed model", async function () {
    const r = await postChat(
      stack.server.url,
      {
        model: "gpt-4.1-mini",
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
          { role: "user", content: "again" },
        ],
      },
      { headers: stack.server.auth },
    );
    expect(r.status).to.equal(200);
    expect(r.events[0]).to.deep.include({ event: "meta" });
    expect((r.events[0]?.data as { model: string }).model).to.equal("gpt-4.1-mini");
    expect((stack.fake.requests.at(-1)?.body as { model: string }).model).to.equal("gpt-4.1-mini");
  });
});
