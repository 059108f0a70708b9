// The redactor: registered secrets, key-shaped strings, bearer tokens and credential fields.

import { expect } from "chai";
import { Redactor } from "../src/redact.js";
import { createLogger } from "../src/logger.js";
import { LogCapture } from "./support/logs.js";

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("log redaction", function () {
  const key = "my-custom-provider-key-1234567890";

  it("removes registered secrets wherever they appear", function () {
    const r = new Redactor();
    r.add(key);
    expect(r.redact({ a: `x${key}y`, nested: [{ b: key }] })).to.deep.equal({
      a: "x[REDACTED]y",
      nested: [{ b: "[REDACTED]" }],
    });
  });

  it("removes OpenAI-shaped keys and bearer tokens it was not told about", function () {
    const r = new Redactor();
    expect(r.redactString("key sk-proj-abcdefghijklmnop1234 used")).to.equal("key sk-[REDACTED] used");
    expect(r.redactString("Authorization: Bearer abc.def-ghi")).to.equal("Authorization: Bearer [REDACTED]");
  });

  it("removes access tokens: in an Authorization header, a field of that name, or bare", function () {
    const r = new Redactor();
    const header = b64url({ alg: "RS256", kid: "dummy" });
    const payload = b64url({ sub: "1234", token_use: "access", client_id: "abc" });
    const jwt = `${header}.${payload}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
    expect(r.redactString(`Authorization: Bearer ${jwt}`)).to.equal("Authorization: Bearer [REDACTED]");
    expect(r.redact({ authorization: `Bearer ${jwt}`, Authorization: jwt })).to.deep.equal({
      authorization: "[REDACTED]",
      Authorization: "[REDACTED]",
    });
    expect(r.redactString(`verify failed for ${jwt}: expired`)).to.equal(
      "verify failed for [REDACTED]: expired",
    );
  });

  it("blanks fields whose names say they hold credentials", function () {
    const r = new Redactor();
    expect(
      r.redact({
        headers: { authorization: "Basic x", Cookie: "a=b" },
        apiKey: "x",
        SecretString: "y",
        tokens: 3,
      }),
    ).to.deep.equal({
      headers: { authorization: "[REDACTED]", Cookie: "[REDACTED]" },
      apiKey: "[REDACTED]",
      SecretString: "[REDACTED]",
      tokens: 3,
    });
  });

  it("scrubs error messages, stacks and causes", function () {
    const r = new Redactor();
    r.add(key);
    const err = new Error(`failed with ${key}`, { cause: new Error(`inner ${key}`) });
    const out = JSON.stringify(r.redact({ err }));
    expect(out).to.include("failed with [REDACTED]");
    expect(out).to.include("inner [REDACTED]");
    expect(out).to.not.include(key);
  });

  it("survives cycles and deep nesting", function () {
    const r = new Redactor();
    const a: Record<string, unknown> = {};
    a.self = a;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20; i += 1) deep = deep.next = {};
    expect(JSON.stringify(r.redact({ a, root })))
      .to.include("[circular]")
      .and.include("[too deep]");
  });

  it("is applied by the logger to message and metadata", function () {
    const r = new Redactor();
    r.add(key);
    const logs = new LogCapture();
    const logger = createLogger({ level: "info", redactor: r, stream: logs });
    logger.info(`message with ${key}`, { meta: key, err: new Error(key) });
    expect(logs.lines).to.have.length(1);
    expect(logs.text()).to.not.include(key);
    expect(logs.entries()[0]).to.include({
      message: "message with [REDACTED]",
      meta: "[REDACTED]",
      level: "info",
    });
  });

  it("ignores values too short to be keys", function () {
    const r = new Redactor();
    r.add("abc");
    expect(r.redactString("abc abc")).to.equal("abc abc");
  });
});
