// Sign-in: every /api/* route needs a Cognito access token, verified against the emulator's pool.
// Each kind of bad token gets 401 with its own code and WWW-Authenticate; a valid one gets in.

import { createSign, generateKeyPairSync, createHmac } from "node:crypto";
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createTestUserPool, TEST_PASSWORD } from "@fargate-ai-stack/test-support";
import { expect } from "chai";
import { createTokenVerifier } from "../src/auth.js";
import { createTestIdentity, signUpAndIn, type TestIdentity } from "./support/identity.js";
import { useMoto } from "./support/moto.js";
import { startFakeOpenAI, startTestServer, type FakeOpenAI, type TestServer } from "./support/server.js";
import { eventNames, postChat } from "./support/sse-client.js";

type Json = Record<string, unknown>;

function b64(value: Json | Buffer): string {
  return (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString("base64url");
}

function decode(jwt: string): { header: Json; payload: Json; signature: string } {
  const [h = "", p = "", signature = ""] = jwt.split(".");
  const parse = (s: string) => JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Json;
  return { header: parse(h), payload: parse(p), signature };
}

/** RS256 with a key of our own, under the emulator's kid: the signature cannot verify. */
function signWithOwnKey(header: Json, payload: Json): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = createSign("RSA-SHA256").update(input).sign(privateKey);
  return `${input}.${b64(signature)}`;
}

interface ErrorAnswer {
  status: number;
  challenge: string | null;
  body: { error: { code: string; message: string } };
}

async function call(server: TestServer, path: string, headers: Record<string, string>): Promise<ErrorAnswer> {
  const res = await fetch(`${server.url}${path}`, { headers });
  return {
    status: res.status,
    challenge: res.headers.get("www-authenticate"),
    body: (await res.json()) as ErrorAnswer["body"],
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("sign-in (Cognito access tokens)", function () {
  let fake: FakeOpenAI;
  let identity: TestIdentity;
  let server: TestServer;

  before(async function () {
    fake = await startFakeOpenAI();
    identity = await createTestIdentity();
    server = await startTestServer({ fake, identity });
  });

  after(async function () {
    await server?.close();
    await fake?.close();
  });

  it("lets a valid access token in, on every /api route", async function () {
    const { headers } = identity.user;
    expect((await fetch(`${server.url}/api/models`, { headers })).status).to.equal(200);
    expect((await fetch(`${server.url}/api/budget`, { headers })).status).to.equal(200);
    const r = await postChat(server.url, { messages: [{ role: "user", content: "hi" }] }, { headers });
    expect(eventNames(r).at(-1)).to.equal("done");
    const line = server.logs.find((e) => e.message === "request" && e.path === "/api/models");
    // The opaque user id is logged (to trace a user's requests); never the token.
    expect(line?.user).to.equal(identity.user.sub);
  });

  it("answers a request without a token 401 auth_required with a bare Bearer challenge", async function () {
    for (const path of ["/api/models", "/api/budget", "/api/nope"]) {
      const a = await call(server, path, {});
      expect(a.status, path).to.equal(401);
      expect(a.challenge).to.equal("Bearer");
      expect(a.body.error.code).to.equal("auth_required");
      expect(a.body.error.message).to.match(/Authorization: Bearer/);
    }
    const chat = await postChat(server.url, { messages: [{ role: "user", content: "hi" }] });
    expect(chat.status).to.equal(401);
    expect(fake.state().chatRequests).to.equal(1);
  });

  for (const [name, headers] of [
    ["another scheme", { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }],
    ["an empty bearer", { authorization: "Bearer " }],
  ] as const) {
    it(`treats ${name} as no token (auth_required)`, async function () {
      const a = await call(server, "/api/models", headers);
      expect(a.status).to.equal(401);
      expect(a.body.error.code).to.equal("auth_required");
    });
  }

  it("does not ask the health probes for a token", async function () {
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    expect((await fetch(`${server.url}/readyz`)).status).to.equal(200);
  });

  const cases: [string, () => Promise<string> | string, string][] = [
    ["a token that is not a JWT", () => "not-a-jwt", "token_malformed"],
    ["three parts that are not JSON", () => "abc.def.ghi", "token_malformed"],
    [
      "a tampered payload (another sub, the original signature)",
      () => {
        const { header, payload, signature } = decode(identity.user.accessToken);
        return `${b64(header)}.${b64({ ...payload, sub: "someone-else" })}.${signature}`;
      },
      "token_invalid_signature",
    ],
    [
      "a token signed with another key under the pool's kid",
      () => {
        const { header, payload } = decode(identity.user.accessToken);
        return signWithOwnKey(header, payload);
      },
      "token_invalid_signature",
    ],
    [
      "a token whose kid the pool does not have",
      () => {
        const { header, payload } = decode(identity.user.accessToken);
        return signWithOwnKey({ ...header, kid: "not-the-pools" }, payload);
      },
      "token_invalid_signature",
    ],
    [
      "another pool's valid token",
      async () => {
        // moto signs every pool with the same key: only the issuer tells them apart.
        const other = await createTestUserPool({ url: (await useMoto()).endpoint });
        return (await signUpAndIn(other)).accessToken;
      },
      "token_wrong_issuer",
    ],
    [
      "another app client's valid token",
      async () => {
        const clientId = await identity.pool.addClient("another-app");
        const answer = await identity.pool.client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: identity.user.email, PASSWORD: TEST_PASSWORD },
          }),
        );
        return answer.AuthenticationResult?.AccessToken ?? "";
      },
      "token_wrong_client",
    ],
    ["an ID token", () => identity.user.idToken, "token_wrong_use"],
    [
      "alg none (an unsecured JWT, no signature)",
      () => {
        const { header, payload } = decode(identity.user.accessToken);
        return `${b64({ ...header, alg: "none" })}.${b64(payload)}.`;
      },
      "token_unsupported_algorithm",
    ],
    [
      "alg none with the original signature",
      () => {
        const { header, payload, signature } = decode(identity.user.accessToken);
        return `${b64({ ...header, alg: "none" })}.${b64(payload)}.${signature}`;
      },
      "token_unsupported_algorithm",
    ],
    [
      "HS256 keyed with the pool's public key",
      async () => {
        const { header, payload } = decode(identity.user.accessToken);
        const jwks = (await (await fetch(identity.pool.jwksUrl)).json()) as { keys: { n: string }[] };
        const input = `${b64({ ...header, alg: "HS256" })}.${b64(payload)}`;
        const mac = createHmac("sha256", jwks.keys[0]?.n ?? "")
          .update(input)
          .digest();
        return `${input}.${b64(mac)}`;
      },
      "token_unsupported_algorithm",
    ],
  ];
  for (const [name, make, code] of cases) {
    it(`answers ${name} with 401 ${code}`, async function () {
      const token = await make();
      const a = await call(server, "/api/models", bearer(token));
      expect(a.status, JSON.stringify(a.body)).to.equal(401);
      expect(a.body.error.code).to.equal(code);
      expect(a.challenge).to.equal('Bearer error="invalid_token"');
      expect(Object.keys(a.body.error).sort()).to.deep.equal(["code", "message"]);
      // The chat route checks the token before it reads the body.
      const chat = await postChat(server.url, { messages: [] }, { headers: bearer(token) });
      expect(chat.status).to.equal(401);
      expect((chat.json as ErrorAnswer["body"]).error.code).to.equal(code);
    });
  }

  it("never logs a token", function () {
    expect(server.logs.text()).to.not.include(identity.user.accessToken);
    expect(server.logs.text()).to.not.include(identity.user.accessToken.split(".")[2]);
  });
});

describe("sign-in: expiry", function () {
  let identity: TestIdentity;
  let server: TestServer;

  before(async function () {
    identity = await createTestIdentity();
    // moto's tokens live an hour and cannot be backdated, and a hand-made token would fail on its
    // signature first. So a real, freshly issued token is checked by a verifier whose tolerance
    // is minus two hours: to it the token expired an hour ago, and exp is all that differs.
    server = await startTestServer({
      identity,
      verifier: (config) => {
        if (!config.auth) throw new Error("sign-in is off");
        return createTokenVerifier(config.auth, { graceSeconds: -7200 });
      },
    });
  });

  after(async function () {
    await server?.close();
  });

  it("answers an expired token 401 token_expired", async function () {
    const a = await call(server, "/api/models", identity.user.headers);
    expect(a.status).to.equal(401);
    expect(a.body.error.code).to.equal("token_expired");
    expect(a.body.error.message).to.match(/sign in again/);
    expect(a.challenge).to.equal('Bearer error="invalid_token"');
  });
});

describe("sign-in: the signing keys cannot be loaded", function () {
  let server: TestServer;

  before(async function () {
    // Port 9 (discard) on loopback refuses the connection at once.
    server = await startTestServer({ env: { AUTH_JWKS_URL: "http://127.0.0.1:9/jwks.json" } });
  });

  after(async function () {
    await server?.close();
  });

  it("answers 503 auth_unavailable (our fault, not the token's) and logs why", async function () {
    const a = await call(server, "/api/models", server.auth);
    expect(a.status).to.equal(503);
    expect(a.body.error.code).to.equal("auth_unavailable");
    const line = server.logs.find((e) => e.message === "could not load the user pool's signing keys");
    expect(line).to.not.equal(undefined);
  });
});

describe("sign-in off (AUTH_DISABLED=true)", function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer({ identity: "disabled" });
  });

  after(async function () {
    await server?.close();
  });

  it("serves /api without a token, as the one local user", async function () {
    expect((await fetch(`${server.url}/api/models`)).status).to.equal(200);
    const budget = (await (await fetch(`${server.url}/api/budget`)).json()) as { user: { used: number } };
    expect(budget.user.used).to.equal(0);
  });
});
