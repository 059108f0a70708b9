// Daily token budgets against a real table in the emulator: reservation before the upstream,
// 429 for the user, 503 for the whole environment, settlement from the usage the stream reports,
// the reservation kept when the client leaves, GET /api/budget, and the EMF metric lines.

import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { emulatorCredentials } from "@fargate-ai-stack/test-support";
import { expect } from "chai";
import { runServer, type ServerProcess } from "./support/child.js";
import { createTestIdentity, type SignedInUser, type TestIdentity } from "./support/identity.js";
import {
  eventually,
  startFakeOpenAI,
  startTestServer,
  type FakeOpenAI,
  type TestServer,
} from "./support/server.js";
import { eventNames, postChat } from "./support/sse-client.js";

const chatBody = { messages: [{ role: "user", content: "Count my tokens, please." }] };
const USER_LIMIT = 5000;
const ENV_LIMIT = 20_000;
const CAP = 100;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function nextMidnight(): number {
  return Date.parse(`${today()}T00:00:00.000Z`) + 86_400_000;
}

interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

interface Done {
  finishReason: string;
  usage: Usage;
  budget: { remaining: number; resetsAt: string } | null;
}

interface ErrorBody {
  error: { code: string; message: string };
}

async function counter(identity: TestIdentity, pk: string): Promise<number> {
  const out = await identity.table.client.send(
    new GetItemCommand({ TableName: identity.table.tableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return Number(out.Item?.tokens?.N ?? 0);
}

async function setCounter(identity: TestIdentity, pk: string, tokens: number): Promise<void> {
  await identity.table.client.send(
    new PutItemCommand({
      TableName: identity.table.tableName,
      Item: { pk: { S: pk }, tokens: { N: String(tokens) } },
    }),
  );
}

const userPk = (user: SignedInUser) => `user#${user.sub}#${today()}`;
const envPk = (name = "local") => `env#${name}#${today()}`;

describe("daily token budgets", function () {
  let fake: FakeOpenAI;
  let identity: TestIdentity;
  let server: TestServer;

  before(async function () {
    fake = await startFakeOpenAI({ reply: "one two three four five" });
    identity = await createTestIdentity();
    server = await startTestServer({
      fake,
      identity,
      env: {
        BUDGET_USER_DAILY_TOKENS: String(USER_LIMIT),
        BUDGET_ENVIRONMENT_DAILY_TOKENS: String(ENV_LIMIT),
        MAX_COMPLETION_TOKENS: String(CAP),
      },
    });
  });

  beforeEach(async function () {
    fake.reset();
    await setCounter(identity, envPk(), 0);
  });

  after(async function () {
    await server?.close();
    await fake?.close();
  });

  const chat = (user: SignedInUser, init: Parameters<typeof postChat>[2] = {}) =>
    postChat(server.url, chatBody, { ...init, headers: { ...user.headers, ...init.headers } });

  it("sends the reply cap upstream as max_completion_tokens and asks for the usage", async function () {
    const user = await identity.addUser();
    await chat(user);
    expect(fake.requests.at(-1)?.body).to.deep.include({
      max_completion_tokens: CAP,
      stream_options: { include_usage: true },
    });
  });

  it("settles to the usage the stream reported: both counters hold prompt + completion", async function () {
    const user = await identity.addUser();
    const r = await chat(user);
    expect(eventNames(r).at(-1)).to.equal("done");
    const done = r.events.at(-1)?.data as Done;
    const spent = done.usage.promptTokens + done.usage.completionTokens;
    expect(done.usage.completionTokens).to.equal(5);
    expect(await counter(identity, userPk(user))).to.equal(spent);
    expect(await counter(identity, envPk())).to.equal(spent);
    expect(done.budget).to.deep.equal({
      remaining: USER_LIMIT - spent,
      resetsAt: new Date(nextMidnight()).toISOString(),
    });
    // A second chat adds to the same day's counter.
    const again = (await chat(user)).events.at(-1)?.data as Done;
    expect(await counter(identity, userPk(user))).to.equal(spent + again.usage.totalTokens);
  });

  it("reserves prompt + MAX_COMPLETION_TOKENS before the upstream is called", async function () {
    const user = await identity.addUser();
    fake.setScenario({ kind: "slow", firstTokenDelayMs: 300 });
    const r = chat(user);
    await eventually(() => fake.state().chatRequests === 1, 5000, "the upstream request");
    const reserved = await counter(identity, userPk(user));
    // gpt-tokenizer's count of the prompt (with the chat framing), plus the cap.
    expect(reserved).to.be.within(CAP + 5, CAP + 20);
    await r;
    const line = server.logs.find((e) => e.message === "request" && e.user === user.sub);
    expect(line?.reservedTokens).to.equal(reserved);
  });

  it("keeps the reservation when the client leaves mid-stream (no usage was reported)", async function () {
    const user = await identity.addUser();
    fake.setScenario({ kind: "ok", reply: "a b c d e f g h i j k l m n o p", tokenDelayMs: 100 });
    const controller = new AbortController();
    const r = await chat(user, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === "delta") controller.abort();
      },
    });
    expect(r.interrupted).to.equal(true);
    const logged = () =>
      server.logs.find((e) => e.message === "request" && e.user === user.sub && e.path === "/api/chat");
    await eventually(() => logged() !== undefined, 5000, "the request log line");
    expect(logged()).to.include({ outcome: "client_closed" });
    const reserved = logged()?.reservedTokens as number;
    expect(reserved).to.be.greaterThan(CAP);
    expect(await counter(identity, userPk(user))).to.equal(reserved);
    expect(await counter(identity, envPk())).to.equal(reserved);
    const metric = server.logs.find((e) => e.message === "chat metrics" && e.Outcome === "client_closed");
    expect(metric).to.include({ Requests: 1, Environment: "local" });
  });

  it("gives the reservation back when the upstream refuses the request", async function () {
    const user = await identity.addUser();
    fake.setScenario({ kind: "status", status: 500 });
    const r = await chat(user);
    expect(r.status).to.equal(502);
    await eventually(
      () => server.logs.find((e) => e.message === "request" && e.user === user.sub) !== undefined,
      5000,
      "the request log line",
    );
    expect(await counter(identity, userPk(user))).to.equal(0);
  });

  it("answers 429 budget_exceeded with Retry-After to the next UTC midnight once the user's budget is used", async function () {
    const user = await identity.addUser();
    await setCounter(identity, userPk(user), USER_LIMIT - CAP);
    const r = await chat(user);
    expect(r.status).to.equal(429);
    const body = r.json as ErrorBody;
    expect(body.error.code).to.equal("budget_exceeded");
    const resetsAt = new Date(nextMidnight()).toISOString();
    expect(body.error.message).to.include(resetsAt);
    expect(body.error.message).to.match(new RegExp(`\\(${USER_LIMIT} a day, ${CAP} left\\)`));
    const retryAfter = Number(r.headers.get("retry-after"));
    const expected = Math.ceil((nextMidnight() - Date.now()) / 1000);
    expect(retryAfter).to.be.within(expected - 5, expected + 1);
    expect(fake.state().chatRequests).to.equal(0);
    // Nothing was added: the transaction was cancelled as a whole.
    expect(await counter(identity, userPk(user))).to.equal(USER_LIMIT - CAP);
    expect(await counter(identity, envPk())).to.equal(0);
    // Another user is not affected.
    expect((await chat(await identity.addUser())).status).to.equal(200);
    const metric = server.logs.find((e) => e.message === "chat metrics" && e.Outcome === "budget_exceeded");
    expect(metric).to.include({ Requests: 1, InputTokens: 0, OutputTokens: 0, Model: "gpt-4o-mini" });
  });

  it("answers 503 spend_cap_reached to every user once the environment's cap is used; it wins over the user's", async function () {
    const [a, b] = [await identity.addUser(), await identity.addUser()];
    await setCounter(identity, envPk(), ENV_LIMIT - 50);
    await setCounter(identity, userPk(b), USER_LIMIT);
    for (const user of [a, b]) {
      const r = await chat(user);
      expect(r.status).to.equal(503);
      const body = r.json as ErrorBody;
      expect(body.error.code).to.equal("spend_cap_reached");
      expect(body.error.message).to.include(new Date(nextMidnight()).toISOString());
      expect(Number(r.headers.get("retry-after"))).to.be.greaterThan(0);
    }
    expect(fake.state().chatRequests).to.equal(0);
    const status = (await (await fetch(`${server.url}/api/budget`, { headers: a.headers })).json()) as {
      environment: { capReached: boolean };
    };
    expect(status.environment.capReached).to.equal(true);
  });

  it("GET /api/budget reports the user's limit, use and reset time, and whether the cap is reached", async function () {
    const user = await identity.addUser();
    const fresh = await fetch(`${server.url}/api/budget`, { headers: user.headers });
    expect(fresh.status).to.equal(200);
    expect(fresh.headers.get("cache-control")).to.equal("no-store");
    const resetsAt = new Date(nextMidnight()).toISOString();
    expect(await fresh.json()).to.deep.equal({
      user: { limit: USER_LIMIT, used: 0, remaining: USER_LIMIT, resetsAt },
      environment: { capReached: false },
    });
    const done = (await chat(user)).events.at(-1)?.data as Done;
    const used = done.usage.promptTokens + done.usage.completionTokens;
    const after = await (await fetch(`${server.url}/api/budget`, { headers: user.headers })).json();
    expect(after).to.deep.equal({
      user: { limit: USER_LIMIT, used, remaining: USER_LIMIT - used, resetsAt },
      environment: { capReached: false },
    });
  });

  it("writes one CloudWatch EMF line per finished chat", async function () {
    const user = await identity.addUser();
    const done = (await chat(user)).events.at(-1)?.data as Done;
    await eventually(
      () => server.logs.find((e) => e.message === "request" && e.user === user.sub) !== undefined,
      5000,
      "the request log line",
    );
    const lines = server.logs
      .entries()
      .filter((e) => e.message === "chat metrics" && e.Outcome === "completed");
    const line = lines.at(-1) as Record<string, unknown> & {
      _aws: { Timestamp: number; CloudWatchMetrics: unknown };
    };
    expect(line._aws.Timestamp).to.be.closeTo(Date.now(), 10_000);
    expect(line._aws.CloudWatchMetrics).to.deep.equal([
      {
        Namespace: "FargateAiStack",
        Dimensions: [
          ["Environment", "Model"],
          ["Environment", "Outcome"],
        ],
        Metrics: [
          { Name: "InputTokens", Unit: "Count" },
          { Name: "OutputTokens", Unit: "Count" },
          { Name: "TimeToFirstToken", Unit: "Milliseconds" },
          { Name: "Requests", Unit: "Count" },
        ],
      },
    ]);
    expect(line).to.include({
      Environment: "local",
      Model: "gpt-4o-mini",
      Outcome: "completed",
      InputTokens: done.usage.promptTokens,
      OutputTokens: done.usage.completionTokens,
      Requests: 1,
    });
    expect(line.TimeToFirstToken).to.be.a("number");
  });
});

describe("daily token budgets: the table is unavailable", function () {
  let fake: FakeOpenAI;
  let server: TestServer;

  before(async function () {
    fake = await startFakeOpenAI();
    const identity = await createTestIdentity();
    // Same emulator, a table that does not exist: every call fails with ResourceNotFoundException.
    server = await startTestServer({
      fake,
      identity: { ...identity, table: { ...identity.table, tableName: "no-such-table" } },
      env: { BUDGET_TABLE: "no-such-table" },
    });
  });

  after(async function () {
    await server?.close();
    await fake?.close();
  });

  it("refuses the chat with 503 budget_unavailable, never calls the upstream, and logs why", async function () {
    const r = await postChat(server.url, chatBody, { headers: server.auth });
    expect(r.status).to.equal(503);
    expect((r.json as ErrorBody).error.code).to.equal("budget_unavailable");
    expect(fake.state().chatRequests).to.equal(0);
    const line = server.logs.find((e) => e.message === "the budget table is unavailable; refusing the chat");
    expect(String(line?.error)).to.include("ResourceNotFoundException");
    const budget = await fetch(`${server.url}/api/budget`, { headers: server.auth });
    expect(budget.status).to.equal(503);
  });
});

describe("daily token budgets across two backend processes", function () {
  this.timeout(90_000);
  const LIMIT = 1000;
  const PARALLEL = 20;
  let fake: FakeOpenAI;
  let identity: TestIdentity;
  let procs: ServerProcess[] = [];

  before(async function () {
    // Slow enough that the chats overlap: the limit must hold while they are all in flight.
    fake = await startFakeOpenAI({ reply: "alpha beta gamma delta epsilon zeta", tokenDelayMs: 100 });
    identity = await createTestIdentity();
    const env = {
      ...emulatorCredentials,
      ...identity.env,
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: "sk-test-0123456789abcdefghij",
      BUDGET_USER_DAILY_TOKENS: String(LIMIT),
      MAX_COMPLETION_TOKENS: String(CAP),
    };
    procs = await Promise.all([runServer(env).ready, runServer(env).ready]);
  });

  after(async function () {
    for (const proc of procs) proc.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => p.exited));
    await fake?.close();
  });

  it(`${PARALLEL} parallel chats of one user never overspend by more than one reservation`, async function () {
    const { user } = identity;
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        postChat(procs[i % 2]?.url ?? "", chatBody, { headers: user.headers }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    expect(ok.length + refused.length).to.equal(PARALLEL);
    // The limit held (some were refused) and was used (some got through, on both processes).
    expect(refused.length).to.be.greaterThan(0);
    expect(ok.length).to.be.greaterThan(1);
    for (const r of refused) expect((r.json as ErrorBody).error.code).to.equal("budget_exceeded");
    const used = await counter(identity, userPk(user));
    const spent = ok.reduce((n, r) => {
      const done = r.events.at(-1)?.data as Done;
      return n + done.usage.promptTokens + done.usage.completionTokens;
    }, 0);
    // Every answered chat settled to its reported usage; refused ones added nothing.
    expect(used).to.equal(spent);
    const oneReservation = CAP + 20;
    expect(used).to.be.at.most(LIMIT + oneReservation);
  });
});
