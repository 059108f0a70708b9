// Graceful shutdown in a real process: SIGTERM during a stream lets it finish and then the
// process exits 0; past the deadline the stream ends with a shutting_down event; a bad
// configuration stops start-up with exit 1 and one line per problem.

import { expect } from "chai";
import { emulatorCredentials } from "@fargate-ai-stack/test-support";
import { runServer, type ServerProcess } from "./support/child.js";
import { createTestIdentity, type TestIdentity } from "./support/identity.js";
import { startFakeOpenAI, useFakeAndServer, type FakeOpenAI } from "./support/server.js";
import { deltaText, eventNames, postChat } from "./support/sse-client.js";

const chatBody = { messages: [{ role: "user", content: "hi" }] };

/** Posts a chat and sends the server SIGTERM as the first delta arrives, i.e. with the stream running. */
async function chatWithSigtermAtFirstDelta(proc: ServerProcess, headers: Record<string, string>) {
  let signalled = false;
  const r = await postChat(proc.url, chatBody, {
    headers,
    onEvent: (e) => {
      if (e.event === "delta" && !signalled) {
        signalled = true;
        proc.child.kill("SIGTERM");
      }
    },
  });
  return { r, signalled };
}

describe("graceful shutdown (child process)", function () {
  this.timeout(60_000);
  let fake: FakeOpenAI;
  let identity: TestIdentity;
  /** Signed in against the emulator's pool and table, as a deployed task is. */
  const server = (env: Record<string, string>) =>
    runServer({ ...emulatorCredentials, ...identity.env, OPENAI_BASE_URL: fake.url, ...env });

  before(async function () {
    fake = await startFakeOpenAI();
    identity = await createTestIdentity();
  });

  after(async function () {
    await fake.close();
  });

  it("on SIGTERM lets a running stream finish, refuses new connections, then exits 0", async function () {
    const reply = "one two three four five six seven eight nine ten";
    fake.setScenario({ kind: "ok", reply, tokenDelayMs: 100 });
    const proc = await server({ SHUTDOWN_TIMEOUT_SECONDS: "30" }).ready;
    const { r, signalled } = await chatWithSigtermAtFirstDelta(proc, identity.user.headers);
    expect(signalled).to.equal(true);
    expect(eventNames(r).at(-1)).to.equal("done");
    expect(deltaText(r)).to.equal(reply);
    const { code } = await proc.exited;
    expect(code).to.equal(0);
    expect(proc.stdout()).to.include('"message":"shutting down"');
    expect(proc.stdout()).to.include('"message":"server closed"');
  });

  it("stops accepting connections as soon as it starts draining", async function () {
    fake.setScenario({ kind: "ok", reply: "a b c d e f g h i j k l", tokenDelayMs: 150 });
    const proc = await server({ SHUTDOWN_TIMEOUT_SECONDS: "30" }).ready;
    let refused: unknown;
    const r = await postChat(proc.url, chatBody, {
      headers: identity.user.headers,
      onEvent: (e, all) => {
        if (e.event === "delta" && all.filter((x) => x.event === "delta").length === 1) {
          proc.child.kill("SIGTERM");
          void proc
            .waitForLog("shutting down")
            .then(() => fetch(`${proc.url}/healthz`))
            .then(
              () => (refused = false),
              (err: unknown) => (refused = err),
            );
        }
      },
    });
    expect(eventNames(r).at(-1)).to.equal("done");
    expect((await proc.exited).code).to.equal(0);
    expect(refused).to.be.instanceOf(Error);
  });

  it("ends streams still running at the deadline with a shutting_down event, then exits 0", async function () {
    fake.setScenario({ kind: "ok", reply: "x ".repeat(100), tokenDelayMs: 200 });
    const proc = await server({ SHUTDOWN_TIMEOUT_SECONDS: "1" }).ready;
    const { r } = await chatWithSigtermAtFirstDelta(proc, identity.user.headers);
    const last = r.events.at(-1);
    expect(last?.event).to.equal("error");
    expect(last?.data).to.deep.include({ code: "shutting_down" });
    expect((await proc.exited).code).to.equal(0);
    expect(proc.stdout()).to.include("shutdown deadline reached");
  });

  it("exits 0 at once on SIGINT when idle", async function () {
    const proc = await server({}).ready;
    proc.child.kill("SIGINT");
    expect((await proc.exited).code).to.equal(0);
  });

  it("refuses to start on bad configuration: exit 1, one line per variable, no secret echoed", async function () {
    const run = runServer({
      PORT: "http",
      OPENAI_MODELS: "gpt-4o-mini",
      OPENAI_DEFAULT_MODEL: "gpt-4.1",
      OPENAI_API_KEY: "sk-has a space-0123456789",
      CORS_ORIGINS: "https://ok.example,https://bad.example/path",
      LOG_LEVEL: "loud",
    });
    const { code } = await run.exited;
    expect(code).to.equal(1);
    const lines = run.stderr().trim().split("\n");
    expect(lines).to.include(
      'config error: PORT must be a whole number from 0 to 65535 (got "http"). Example: PORT=4000',
    );
    expect(
      lines.some((l) => l.startsWith("config error: OPENAI_API_KEY must not contain whitespace. Example:")),
    ).to.equal(true);
    expect(
      lines.some((l) =>
        l.startsWith('config error: CORS_ORIGINS "https://bad.example/path" is not an origin'),
      ),
    ).to.equal(true);
    expect(
      lines.some((l) => l.startsWith("config error: LOG_LEVEL must be one of error, warn, info")),
    ).to.equal(true);
    expect(
      lines.some((l) => l.startsWith("config error: OPENAI_DEFAULT_MODEL must be one of OPENAI_MODELS")),
    ).to.equal(true);
    expect(run.stderr()).to.not.include("sk-has");
    expect(run.stdout()).to.equal("");
  });

  it("refuses to start without a user pool unless AUTH_DISABLED=true, saying what to set", async function () {
    const run = runServer({ OPENAI_BASE_URL: fake.url });
    expect((await run.exited).code).to.equal(1);
    const lines = run.stderr().trim().split("\n");
    expect(
      lines.some(
        (l) =>
          l.startsWith("config error: AUTH_USER_POOL_ID and AUTH_CLIENT_ID are required") &&
          l.includes("AUTH_DISABLED=true") &&
          l.includes("Example: AUTH_USER_POOL_ID="),
      ),
    ).to.equal(true);
    expect(lines.some((l) => l.startsWith("config error: BUDGET_TABLE is required"))).to.equal(true);
  });

  it("starts with AUTH_DISABLED=true and warns that sign-in is off", async function () {
    const proc = await runServer({ OPENAI_BASE_URL: fake.url, AUTH_DISABLED: "true" }).ready;
    await proc.waitForLog(
      "AUTH_DISABLED=true: sign-in is OFF and every request is served as one local user; for local development only, never in a deployed environment",
    );
    const warning = proc
      .stdout()
      .split("\n")
      .find((l) => l.includes("sign-in is OFF"));
    expect(JSON.parse(warning ?? "{}")).to.include({ level: "warn" });
    const r = await postChat(proc.url, chatBody);
    expect(eventNames(r).at(-1)).to.equal("done");
    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).to.equal(0);
  });
});

describe("draining (in-process)", function () {
  const stack = useFakeAndServer();
  before(function () {
    stack.server.lifecycle.startDraining();
  });

  it("reports not ready while draining", async function () {
    const res = await fetch(`${stack.server.url}/readyz`);
    expect(res.status).to.equal(503);
    expect(await res.json()).to.deep.equal({ status: "not_ready", reason: "shutting down" });
    expect(res.headers.get("connection")).to.equal("close");
  });

  it("stays live while draining", async function () {
    expect((await fetch(`${stack.server.url}/healthz`)).status).to.equal(200);
  });

  it("refuses new chats with 503 shutting_down", async function () {
    const r = await postChat(stack.server.url, chatBody, { headers: stack.server.auth });
    expect(r.status).to.equal(503);
    expect((r.json as { error: { code: string } }).error.code).to.equal("shutting_down");
    expect(stack.fake.state().chatRequests).to.equal(0);
  });
});
