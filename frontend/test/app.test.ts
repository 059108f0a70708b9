// The production Express app (server/app.ts with the built Remix server) in this process, in front of a stub
// backend: the proxy routes, and the documents and static files it serves itself.
import { expect } from "chai";
import { startFrontendInProcess, type InProcessFrontend } from "./support/frontend-app";
import { freePort } from "@fargate-ai-stack/test-support";
import { readAll, readUntil, within } from "./support/streams";
import { sessionCookie, testSession } from "./support/session";
import { BUDGET, startStubBackend, type StubBackend } from "./support/stub-backend";

const CHAT_BODY = { messages: [{ role: "user", content: "Hi" }], model: "gpt-4o-mini" };
/** A valid session's Cookie header (access token good for an hour: no refresh, so no Cognito). */
let signedIn = "";

/** POST /api/chat as the signed-in browser would send it: the session cookie and its own Origin. */
function postChat(
  base: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal; body?: string } = {},
) {
  return fetch(`${base}/api/chat`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "text/event-stream",
      cookie: signedIn,
      origin: base,
      ...init.headers,
    },
    body: init.body ?? JSON.stringify(CHAT_BODY),
    signal: init.signal,
  });
}

/** GET with the session cookie. */
function get(url: string, headers: Record<string, string> = {}) {
  return fetch(url, { headers: { cookie: signedIn, ...headers }, redirect: "manual" });
}

describe("the app in process, in front of a stub backend", () => {
  let backend: StubBackend;
  let frontend: InProcessFrontend;

  before(async () => {
    signedIn = await sessionCookie();
    backend = await startStubBackend();
    frontend = await startFrontendInProcess(backend.url);
  });
  after(async () => {
    await frontend?.close();
    await backend?.close();
  });

  describe("proxy routes (/api/chat, /api/models)", () => {
    beforeEach(() => {
      backend.requests.length = 0;
      backend.setScenario({ kind: "ok" });
    });

    it("streams each event through as it arrives, before the backend has finished", async () => {
      backend.setScenario({ kind: "gated", first: "Hel", rest: "lo" });
      // Ask for gzip: the event stream must still not be compressed (compression would hold tokens back).
      const res = await postChat(frontend.url, { headers: { "accept-encoding": "gzip" } });
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.match(/^text\/event-stream/);
      expect(res.headers.get("content-encoding")).to.equal(null);
      expect(res.headers.get("cache-control")).to.include("no-transform");
      const reader = res.body!.getReader();

      // The stub holds its reply open after the first delta until release(): this only passes without buffering.
      const head = await readUntil(reader, /"text":"Hel"/);
      expect(head).to.include("event: meta");
      expect(head).not.to.include("event: done");

      backend.release();
      const tail = await readAll(reader);
      expect(tail).to.include('"text":"lo"');
      expect(tail).to.include("event: done");
    });

    it("forwards the body unchanged with the request id, client address and identity encoding", async () => {
      const res = await postChat(frontend.url);
      await res.text();
      const seen = backend.requests.find((r) => r.path === "/api/chat");
      expect(seen, "backend saw the request").to.not.equal(undefined);
      expect(JSON.parse(seen!.body)).to.deep.equal(CHAT_BODY);
      expect(seen!.headers["content-type"]).to.equal("application/json");
      expect(seen!.headers["accept-encoding"]).to.equal("identity");
      expect(seen!.headers["x-forwarded-for"]).to.equal("127.0.0.1");
      expect(seen!.headers.authorization).to.equal("Bearer access-token-for-tests");
      const id = res.headers.get("x-request-id");
      expect(id).to.match(/^[0-9a-f-]{36}$/);
      expect(seen!.headers["x-request-id"]).to.equal(id);
    });

    it("keeps a well-formed incoming X-Request-Id and replaces a malformed one", async () => {
      const kept = await postChat(frontend.url, { headers: { "x-request-id": "trace-abc.123" } });
      await kept.text();
      expect(kept.headers.get("x-request-id")).to.equal("trace-abc.123");
      expect(backend.requests.at(-1)!.headers["x-request-id"]).to.equal("trace-abc.123");

      const replaced = await postChat(frontend.url, { headers: { "x-request-id": "not valid!" } });
      await replaced.text();
      expect(replaced.headers.get("x-request-id")).to.match(/^[0-9a-f-]{36}$/);
      expect(backend.requests.at(-1)!.headers["x-request-id"]).to.equal(replaced.headers.get("x-request-id"));
    });

    it("ends the upstream request when the browser goes away (Stop, closed tab)", async () => {
      backend.setScenario({ kind: "hang" });
      const controller = new AbortController();
      const res = await postChat(frontend.url, { signal: controller.signal });
      const reader = res.body!.getReader();
      await readUntil(reader, /"Thinking"/);
      const aborted = backend.nextAbort();
      controller.abort();
      await within(aborted, 5_000, "the backend to see the request aborted");
      expect(backend.aborted).to.be.greaterThan(0);
    });

    it("passes backend errors through with their status, Retry-After and JSON body", async () => {
      backend.setScenario({
        kind: "error",
        status: 429,
        code: "budget_exceeded",
        message: "Today's budget is used up; it resets at 00:00 UTC.",
        retryAfter: 3600,
      });
      const res = await postChat(frontend.url);
      expect(res.status).to.equal(429);
      expect(res.headers.get("retry-after")).to.equal("3600");
      expect(await res.json()).to.deep.equal({
        error: { code: "budget_exceeded", message: "Today's budget is used up; it resets at 00:00 UTC." },
      });

      backend.setScenario({ kind: "error", status: 503, code: "spend_cap_reached", message: "cap" });
      const capped = await postChat(frontend.url);
      expect(capped.status).to.equal(503);
      expect(((await capped.json()) as { error: { code: string } }).error.code).to.equal("spend_cap_reached");
    });

    it("passes an error event sent after streaming began", async () => {
      backend.setScenario({ kind: "midError", code: "upstream_error" });
      const res = await postChat(frontend.url);
      const text = await res.text();
      expect(text).to.include('"text":"Partial"');
      expect(text).to.match(/event: error\ndata: \{"code":"upstream_error"/);
    });

    it("refuses a body over 1 MiB with 413 without calling the backend", async () => {
      const big = JSON.stringify({ messages: [{ role: "user", content: "x".repeat(1024 * 1024 + 10) }] });
      const res = await postChat(frontend.url, { body: big });
      expect(res.status).to.equal(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal("payload_too_large");
      expect(backend.requests).to.have.length(0);
    });

    it("answers 405 for other methods on /api/chat", async () => {
      const res = await get(`${frontend.url}/api/chat`);
      expect(res.status).to.equal(405);
      expect(res.headers.get("allow")).to.equal("POST");
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal("method_not_allowed");
    });

    it("proxies GET /api/models", async () => {
      const res = await get(`${frontend.url}/api/models`, { "x-request-id": "models-1" });
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ models: ["gpt-4o-mini", "gpt-4o"], default: "gpt-4o-mini" });
      const seen = backend.requests.find((r) => r.path === "/api/models");
      expect(seen!.headers["x-request-id"]).to.equal("models-1");
    });

    it("proxies GET /api/budget with the access token", async () => {
      const res = await get(`${frontend.url}/api/budget`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal(BUDGET);
      const seen = backend.requests.find((r) => r.path === "/api/budget");
      expect(seen!.headers.authorization).to.equal("Bearer access-token-for-tests");
    });

    it("serves /healthz without calling the backend", async () => {
      const res = await fetch(`${frontend.url}/healthz`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ status: "ok" });
      expect(backend.requests).to.have.length(0);
    });

    describe("when the backend cannot be reached", () => {
      let down: InProcessFrontend;
      before(async () => {
        // A port nothing listens on: connection refused, like a stopped backend task.
        down = await startFrontendInProcess(`http://127.0.0.1:${await freePort()}`);
      });
      after(() => down?.close());

      for (const [name, request] of [
        ["POST /api/chat", (base: string) => postChat(base)],
        ["GET /api/models", (base: string) => get(`${base}/api/models`)],
      ] as const) {
        it(`${name} answers 502 backend_unreachable as JSON`, async () => {
          const res = await request(down.url);
          expect(res.status).to.equal(502);
          expect(res.headers.get("content-type")).to.match(/^application\/json/);
          const body = (await res.json()) as { error: { code: string; message: string } };
          expect(body.error.code).to.equal("backend_unreachable");
          expect(body.error.message).to.be.a("string").and.not.equal("");
        });
      }

      it("still answers /healthz (a backend outage must not cycle frontend tasks)", async () => {
        const res = await fetch(`${down.url}/healthz`);
        expect(res.status).to.equal(200);
      });
    });
  });

  describe("sign-in required", () => {
    beforeEach(() => {
      backend.requests.length = 0;
      backend.setScenario({ kind: "ok" });
      backend.rejectTokens = false;
    });

    const API: [string, (base: string, cookie: string) => Promise<Response>][] = [
      [
        "POST /api/chat",
        (base, cookie) =>
          fetch(`${base}/api/chat`, {
            method: "POST",
            headers: { "content-type": "application/json", origin: base, cookie },
            body: JSON.stringify(CHAT_BODY),
          }),
      ],
      ["GET /api/models", (base, cookie) => fetch(`${base}/api/models`, { headers: { cookie } })],
      ["GET /api/budget", (base, cookie) => fetch(`${base}/api/budget`, { headers: { cookie } })],
    ];
    for (const [name, request] of API) {
      it(`${name} without a session answers 401 not_signed_in and never calls the backend`, async () => {
        const res = await request(frontend.url, "");
        expect(res.status).to.equal(401);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).to.equal("not_signed_in");
        expect(body.error.message).to.be.a("string").and.not.equal("");
        expect(backend.requests).to.have.length(0);
      });
    }

    it("a tampered or foreign session cookie is a 401 that also clears the cookie", async () => {
      const foreign = await sessionCookie(testSession(), "another-secret-that-is-32-characters-long");
      for (const cookie of [foreign, `${signedIn}x`]) {
        const res = await get(`${frontend.url}/api/models`, { cookie });
        expect(res.status).to.equal(401);
        expect(res.headers.get("set-cookie")).to.match(
          /^session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/,
        );
      }
      expect(backend.requests).to.have.length(0);
    });

    it("an expired access token that cannot be refreshed is a 401", async () => {
      // Cognito is unreachable in these tests, so the refresh fails; the token is past its expiry.
      const expired = await sessionCookie(testSession({ accessExpiresAt: Date.now() - 1_000 }));
      const res = await get(`${frontend.url}/api/models`, { cookie: expired });
      expect(res.status).to.equal(401);
      expect(backend.requests).to.have.length(0);
    });

    it("a token about to expire is still used when Cognito cannot refresh it", async () => {
      const expiring = await sessionCookie(testSession({ accessExpiresAt: Date.now() + 60_000 }));
      const res = await get(`${frontend.url}/api/models`, { cookie: expiring });
      expect(res.status).to.equal(200);
      expect(res.headers.get("set-cookie")).to.equal(null);
    });

    it("a 401 from the backend ends the session: 401 not_signed_in with the cookie cleared", async () => {
      backend.rejectTokens = true;
      for (const res of [await postChat(frontend.url), await get(`${frontend.url}/api/budget`)]) {
        expect(res.status).to.equal(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).to.equal("not_signed_in");
        expect(res.headers.get("set-cookie")).to.match(/^session=; .*Max-Age=0/);
      }
    });

    it("refuses a POST from another origin, or without an Origin header, with 403", async () => {
      const withoutOrigin = fetch(`${frontend.url}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: signedIn },
        body: JSON.stringify(CHAT_BODY),
      });
      for (const res of [
        await postChat(frontend.url, { headers: { origin: "https://evil.example" } }),
        await withoutOrigin,
      ]) {
        expect(res.status).to.equal(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).to.equal(
          "cross_origin_request",
        );
      }
      expect(backend.requests).to.have.length(0);
    });

    it("redirects pages to /sign-in with the return path", async () => {
      const home = await fetch(`${frontend.url}/`, { redirect: "manual" });
      expect(home.status).to.equal(302);
      expect(home.headers.get("location")).to.equal("/sign-in");
      const deep = await fetch(`${frontend.url}/?c=1`, { redirect: "manual" });
      expect(deep.headers.get("location")).to.equal("/sign-in?next=%2F%3Fc%3D1");
    });

    it("renders the chat with the signed-in email, never cached", async () => {
      const res = await get(`${frontend.url}/`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("cache-control")).to.equal("private, no-store");
      const html = await res.text();
      expect(html).to.include("ada@example.com");
      expect(html).to.include("Sign out");
    });

    it("serves the sign-in form, and sends someone already signed in on to `next`", async () => {
      const page = await fetch(`${frontend.url}/sign-in?next=%2F%3Fc%3D1`);
      expect(page.status).to.equal(200);
      const html = await page.text();
      expect(html).to.include('autoComplete="current-password"');
      expect(html).to.match(/<input[^>]+name="next"[^>]+value="\/\?c=1"/);
      const again = await get(`${frontend.url}/sign-in?next=%2F%3Fc%3D1`);
      expect(again.status).to.equal(302);
      expect(again.headers.get("location")).to.equal("/?c=1");
      const offsite = await get(`${frontend.url}/sign-in?next=https%3A%2F%2Fevil.example`);
      expect(offsite.headers.get("location")).to.equal("/");
    });

    it("refuses a sign-in or sign-out form posted from another site", async () => {
      for (const path of ["/sign-in", "/sign-out"]) {
        const res = await fetch(`${frontend.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
          body: "email=a%40b.c&password=x",
          redirect: "manual",
        });
        expect(res.status, path).to.equal(403);
      }
    });

    it("signs out with a cleared cookie and a redirect to /sign-in even when Cognito is unreachable", async () => {
      const res = await fetch(`${frontend.url}/sign-out`, {
        method: "POST",
        headers: {
          cookie: signedIn,
          origin: frontend.url,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "",
        redirect: "manual",
      });
      expect(res.status).to.equal(302);
      expect(res.headers.get("location")).to.equal("/sign-in");
      expect(res.headers.get("set-cookie")).to.match(/^session=; .*Max-Age=0/);
    });

    it("names the cookie __Host-session, Secure, behind an HTTPS load balancer", async () => {
      const https = { "x-forwarded-proto": "https" };
      const res = await get(`${frontend.url}/api/models`, { ...https, cookie: `__Host-${signedIn}` });
      expect(res.status).to.equal(200);
      // The plain-HTTP name is not read over HTTPS.
      const plain = await get(`${frontend.url}/api/models`, https);
      expect(plain.status).to.equal(401);
      const out = await fetch(`${frontend.url}/sign-out`, {
        method: "POST",
        headers: { ...https, cookie: `__Host-${signedIn}`, origin: frontend.url.replace("http:", "https:") },
        redirect: "manual",
      });
      expect(out.status).to.equal(302);
      expect(out.headers.get("set-cookie")).to.equal(
        "__Host-session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure",
      );
    });
  });

  describe("document and static responses", () => {
    it("renders the chat with a CSP whose nonce is on every inline script", async () => {
      const res = await get(`${frontend.url}/`, { "accept-encoding": "gzip" });
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-encoding")).to.equal("gzip");
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, "CSP has a nonce").to.be.a("string");
      expect(csp).to.include("default-src 'self'");
      expect(csp).to.include("frame-ancestors 'none'");
      expect(csp).not.to.include("unsafe-inline");
      const html = await res.text();
      expect(html).to.include('role="log"');
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).to.be.greaterThan(0);
      for (const tag of scripts) expect(tag).to.include(`nonce="${nonce}"`);
    });

    it("uses a fresh nonce for every response", async () => {
      const nonces = await Promise.all(
        [1, 2].map(async () => (await get(`${frontend.url}/`)).headers.get("content-security-policy")),
      );
      expect(nonces[0]).to.not.equal(nonces[1]);
    });

    it("serves hashed assets with a one-year immutable cache and 404s unknown ones", async () => {
      const html = await (await get(`${frontend.url}/`)).text();
      const asset = /\/assets\/[\w.-]+\.js/.exec(html)?.[0];
      expect(asset, "page references a hashed asset").to.be.a("string");
      const res = await fetch(`${frontend.url}${asset}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
      const missing = await fetch(`${frontend.url}/assets/missing-abc123.js`);
      expect(missing.status).to.equal(404);
    });

    it("gives unknown pages a 404 document", async () => {
      const res = await get(`${frontend.url}/no/such/page`);
      expect(res.status).to.equal(404);
      expect(await res.text()).to.include("Page not found");
    });
  });
});
