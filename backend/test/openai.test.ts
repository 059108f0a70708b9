// The upstream retry policy and error mapping, on SDK error objects.

import { expect } from "chai";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  RateLimitError,
} from "openai";
import { retryAfterSeconds, retryDelayMs, toUpstreamAppError } from "../src/openai.js";

function headers(h: Record<string, string>): Headers {
  return new Headers(h);
}

describe("OpenAI error handling", function () {
  it("reads Retry-After in seconds, milliseconds or as a date", function () {
    expect(retryAfterSeconds(headers({ "retry-after": "7" }))).to.equal(7);
    expect(retryAfterSeconds(headers({ "retry-after-ms": "1500" }))).to.equal(2);
    expect(retryAfterSeconds(headers({ "retry-after": "0" }))).to.equal(1);
    const inTen = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterSeconds(headers({ "retry-after": inTen }))).to.be.within(9, 11);
    expect(retryAfterSeconds(headers({ "retry-after": "soon" }))).to.equal(undefined);
    expect(retryAfterSeconds(undefined)).to.equal(undefined);
  });

  it("retries connection errors and 5xx with backoff", function () {
    const conn = new APIConnectionError({ message: "reset" });
    expect(retryDelayMs(conn, 0)).to.be.within(375, 500);
    expect(retryDelayMs(conn, 10)).to.be.within(6000, 8000);
    expect(retryDelayMs(new InternalServerError(500, undefined, "x", headers({})), 1)).to.be.within(
      750,
      1000,
    );
  });

  it("does not retry timeouts, aborts, 401 or 400", function () {
    expect(retryDelayMs(new APIConnectionTimeoutError(), 0)).to.equal(undefined);
    expect(retryDelayMs(new APIUserAbortError(), 0)).to.equal(undefined);
    expect(retryDelayMs(new AuthenticationError(401, undefined, "x", headers({})), 0)).to.equal(undefined);
    expect(retryDelayMs(APIError.generate(400, undefined, "x", headers({})), 0)).to.equal(undefined);
  });

  it("retries a 429 only when told to wait briefly, and never for an exhausted quota", function () {
    const short = new RateLimitError(429, undefined, "x", headers({ "retry-after-ms": "300" }));
    expect(retryDelayMs(short, 0)).to.equal(300);
    const long = new RateLimitError(429, undefined, "x", headers({ "retry-after": "20" }));
    expect(retryDelayMs(long, 0)).to.equal(undefined);
    const quota = new RateLimitError(
      429,
      { code: "insufficient_quota" },
      "x",
      headers({ "retry-after-ms": "10" }),
    );
    expect(retryDelayMs(quota, 0)).to.equal(undefined);
  });

  it("obeys x-should-retry", function () {
    const no = new InternalServerError(500, undefined, "x", headers({ "x-should-retry": "false" }));
    expect(retryDelayMs(no, 0)).to.equal(undefined);
  });

  it("maps SDK errors to public codes without upstream text", function () {
    const cases: [unknown, string, number][] = [
      [
        new AuthenticationError(401, { message: "Incorrect API key sk-x" }, "x", headers({})),
        "openai_key_rejected",
        502,
      ],
      [
        new RateLimitError(429, undefined, "x", headers({ "retry-after": "3" })),
        "upstream_rate_limited",
        429,
      ],
      [new APIConnectionTimeoutError(), "upstream_timeout", 504],
      [APIError.generate(504, undefined, "x", headers({})), "upstream_timeout", 504],
      [new APIConnectionError({ message: "ECONNREFUSED 10.0.0.1" }), "upstream_error", 502],
      [new InternalServerError(500, { message: "internal detail" }, "x", headers({})), "upstream_error", 502],
      [new TypeError("terminated"), "upstream_error", 502],
    ];
    for (const [err, code, status] of cases) {
      const mapped = toUpstreamAppError(err);
      expect(mapped.code).to.equal(code);
      expect(mapped.status).to.equal(status);
      expect(mapped.message).to.not.match(/sk-x|10\.0\.0\.1|internal detail|terminated/);
    }
    expect(
      toUpstreamAppError(new RateLimitError(429, undefined, "x", headers({ "retry-after": "3" })))
        .retryAfterSeconds,
    ).to.equal(3);
  });
});
