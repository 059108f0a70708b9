import { expect } from "chai";
import { startFrontendInProcess, type InProcessFrontend } from "./support/frontend-app";
import { startStubBackend, type StubBackend } from "./support/stub-backend";

describe("document and static responses", () => {
  let backend: StubBackend;
  let frontend: InProcessFrontend;
  before(async () => {
    backend = await startStubBackend();
    frontend = await startFrontendInProcess(backend.url);
  });
  after(async () => {
    await frontend?.close();
    await backend?.close();
  });

  it("renders the chat with a CSP whose nonce is on every inline script", async () => {
    const res = await fetch(`${frontend.url}/`, { headers: { "accept-encoding": "gzip" } });
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
      [1, 2].map(async () => (await fetch(`${frontend.url}/`)).headers.get("content-security-policy")),
    );
    expect(nonces[0]).to.not.equal(nonces[1]);
  });

  it("serves hashed assets with a one-year immutable cache and 404s unknown ones", async () => {
    const html = await (await fetch(`${frontend.url}/`)).text();
    const asset = /\/assets\/[\w.-]+\.js/.exec(html)?.[0];
    expect(asset, "page references a hashed asset").to.be.a("string");
    const res = await fetch(`${frontend.url}${asset}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
    const missing = await fetch(`${frontend.url}/assets/missing-abc123.js`);
    expect(missing.status).to.equal(404);
  });

  it("gives unknown pages a 404 document", async () => {
    const res = await fetch(`${frontend.url}/no/such/page`);
    expect(res.status).to.equal(404);
    expect(await res.text()).to.include("Page not found");
  });
});
