import { expect } from "chai";
import { ensureBuild } from "./support/build";
import { listeningUrl, spawnFrontend } from "./support/frontend-process";
import { sessionCookie, TEST_SESSION_SECRET } from "./support/session";
import { readAll, readUntil } from "./support/streams";
import { startStubBackend, type StubBackend } from "./support/stub-backend";

describe("graceful shutdown (SIGTERM from ECS)", () => {
  let backend: StubBackend;
  before(async () => {
    ensureBuild();
    backend = await startStubBackend();
  });
  after(() => backend?.close());

  it("finishes a reply in flight, refuses new connections, then exits 0", async () => {
    const server = spawnFrontend({
      BACKEND_URL: backend.url,
      AUTH_USER_POOL_ID: "us-east-1_TestPool1",
      AUTH_CLIENT_ID: "testclient",
      SESSION_SECRET: TEST_SESSION_SECRET,
    });
    try {
      const base = await listeningUrl(server);
      backend.setScenario({ kind: "gated", first: "Hel", rest: "lo" });
      const res = await fetch(`${base}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base, cookie: await sessionCookie() },
        body: JSON.stringify({ messages: [{ role: "user", content: "Hi" }] }),
      });
      const reader = res.body!.getReader();
      await readUntil(reader, /"Hel"/);

      server.child.kill("SIGTERM");
      await server.waitForLine(/"message":"shutting down"/);
      // New connections are refused while the stream in flight carries on.
      let refused = false;
      await fetch(`${base}/healthz`).catch(() => (refused = true));
      expect(refused, "new connections refused").to.equal(true);

      backend.release();
      expect(await readAll(reader)).to.include("event: done");
      const { code } = await server.exited;
      expect(code).to.equal(0);
    } finally {
      await server.stop();
    }
  });
});
