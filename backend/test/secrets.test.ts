// The OpenAI key from Secrets Manager, with real SDK calls against the moto emulator: found,
// both value formats, missing, rotated after the TTL, the 401-triggered refresh, keeping the
// last good value, one fetch at a time, and the key never reaching a log line.

import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { loadConfig } from "../src/config.js";
import { AppError } from "../src/errors.js";
import { createLogger } from "../src/logger.js";
import { Redactor } from "../src/redact.js";
import { createKeyProvider, parseSecretValue, SecretsManagerKeyProvider } from "../src/secrets.js";
import { LogCapture } from "./support/logs.js";
import { TEST_CREDENTIALS, TEST_REGION, useMoto, type Moto } from "./support/moto.js";
import { eventually, startFakeOpenAI, startTestServer, until, type FakeOpenAI } from "./support/server.js";
import { eventNames, postChat } from "./support/sse-client.js";

const chatBody = { messages: [{ role: "user", content: "hi" }] };

function newKey(): string {
  return `sk-proj-${randomUUID().replaceAll("-", "")}`;
}

/** A client that counts the GetSecretValue calls it sends. */
function countingClient(moto: Moto): { client: SecretsManagerClient; calls: () => number } {
  const client = moto.client();
  let calls = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      calls += 1;
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  return { client, calls: () => calls };
}

describe("OpenAI key from Secrets Manager (moto)", function () {
  this.timeout(60_000);
  let moto: Moto;
  let admin: SecretsManagerClient;
  let clock: number;
  let logs: LogCapture;
  let redactor: Redactor;

  async function createSecret(value: string): Promise<string> {
    const name = `fargate-ai-stack/test/${randomUUID()}`;
    await admin.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    return name;
  }

  function provider(secretId: string, client: SecretsManagerClient, extra: { ttlMs?: number } = {}) {
    const logger = createLogger({ level: "debug", redactor, stream: logs });
    return new SecretsManagerKeyProvider({
      client,
      secretId,
      ttlMs: extra.ttlMs ?? 1000,
      logger,
      redactor,
      failureBackoffMs: 500,
      now: () => clock,
    });
  }

  before(async function () {
    moto = await useMoto();
    await moto.reset();
    admin = moto.client();
  });

  beforeEach(function () {
    clock = 1_000_000;
    logs = new LogCapture();
    redactor = new Redactor();
  });

  it("parses a raw key or JSON with OPENAI_API_KEY, and nothing else", function () {
    expect(parseSecretValue("sk-abc123\n")).to.equal("sk-abc123");
    expect(parseSecretValue(' {"OPENAI_API_KEY": "sk-json", "other": 1} ')).to.equal("sk-json");
    expect(parseSecretValue('{"openai_api_key": "sk-x"}')).to.equal(undefined);
    expect(parseSecretValue('{"OPENAI_API_KEY": 5}')).to.equal(undefined);
    expect(parseSecretValue("{not json")).to.equal(undefined);
    expect(parseSecretValue("two words")).to.equal(undefined);
    expect(parseSecretValue("   ")).to.equal(undefined);
  });

  it("loads a raw key string", async function () {
    const key = newKey();
    const { client, calls } = countingClient(moto);
    const keys = provider(await createSecret(key), client);
    expect(keys.status().ready).to.equal(false);
    expect(await keys.getKey()).to.equal(key);
    expect(keys.status()).to.deep.equal({ ready: true });
    expect(calls()).to.equal(1);
    expect(logs.find((e) => e.message === "loaded the OpenAI API key from Secrets Manager")).to.include({
      changed: false,
    });
    expect(logs.text()).to.not.include(key);
  });

  it('loads JSON {"OPENAI_API_KEY": "..."}', async function () {
    const key = newKey();
    const keys = provider(await createSecret(JSON.stringify({ OPENAI_API_KEY: key })), moto.client());
    expect(await keys.getKey()).to.equal(key);
    expect(logs.text()).to.not.include(key);
  });

  it("reports a secret in the wrong format without logging its value", async function () {
    const value = JSON.stringify({ api_key: "sk-wrong-field-0123456789" });
    const keys = provider(await createSecret(value), moto.client());
    const err = await keys.getKey().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError).with.property("code", "secret_unavailable");
    expect(keys.status()).to.deep.equal({ ready: false, reason: "secret unavailable: InvalidSecretValue" });
    expect(logs.text()).to.not.include("sk-wrong-field-0123456789");
  });

  it("tells how to set a key when the secret exists without a value (Terraform creates only the container)", async function () {
    const name = `fargate-ai-stack/test/${randomUUID()}`;
    await admin.send(new CreateSecretCommand({ Name: name }));
    const keys = provider(name, moto.client());
    const err = await keys.getKey().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError).with.property("code", "openai_key_missing");
    expect((err as AppError).message)
      .to.include("npm run secret:set")
      .and.include("OPENAI_BASE_URL");
    // Within the back-off after that failure, the answer stays the same (not "try again later").
    const again = await keys.getKey().catch((e: unknown) => e);
    expect(again).to.be.instanceOf(AppError).with.property("code", "openai_key_missing");
  });

  it("reports a missing secret with the AWS error code, and backs off before asking again", async function () {
    const { client, calls } = countingClient(moto);
    const keys = provider(`fargate-ai-stack/test/missing-${randomUUID()}`, client);
    const err = await keys.getKey().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError).with.property("code", "secret_unavailable");
    expect(keys.status()).to.deep.equal({
      ready: false,
      reason: "secret unavailable: ResourceNotFoundException",
    });
    const line = logs.find((e) => e.message === "could not load the OpenAI API key from Secrets Manager");
    expect(line).to.include({
      level: "error",
      awsErrorCode: "ResourceNotFoundException",
      keepingLastGoodValue: false,
    });
    // Within the back-off: no new call.
    await keys.getKey().catch(() => undefined);
    expect(calls()).to.equal(1);
    clock += 500;
    await keys.getKey().catch(() => undefined);
    expect(calls()).to.equal(2);
  });

  it("picks up a rotated value once the TTL has passed", async function () {
    const [v1, v2] = [newKey(), newKey()];
    const secretId = await createSecret(v1);
    const { client, calls } = countingClient(moto);
    const keys = provider(secretId, client, { ttlMs: 1000 });
    expect(await keys.getKey()).to.equal(v1);
    await admin.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: v2 }));
    clock += 999;
    expect(await keys.getKey()).to.equal(v1);
    expect(calls()).to.equal(1);
    clock += 1;
    expect(await keys.getKey()).to.equal(v2);
    expect(calls()).to.equal(2);
    expect(logs.entries().filter((e) => e.changed === true)).to.have.length(1);
    expect(logs.text()).to.not.include(v1).and.not.include(v2);
  });

  it("keeps the last good value when a refresh fails", async function () {
    const key = newKey();
    const secretId = await createSecret(key);
    const keys = provider(secretId, moto.client(), { ttlMs: 1000 });
    expect(await keys.getKey()).to.equal(key);
    await admin.send(new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }));
    clock += 1000;
    expect(await keys.getKey()).to.equal(key);
    expect(keys.status().ready).to.equal(true);
    const line = logs.find((e) => e.message === "could not load the OpenAI API key from Secrets Manager");
    expect(line).to.include({ awsErrorCode: "ResourceNotFoundException", keepingLastGoodValue: true });
    expect(logs.text()).to.not.include(key);
  });

  it("makes a single fetch for many concurrent callers", async function () {
    const key = newKey();
    const { client, calls } = countingClient(moto);
    const keys = provider(await createSecret(key), client);
    const got = await Promise.all(Array.from({ length: 25 }, () => keys.getKey()));
    expect(new Set(got)).to.deep.equal(new Set([key]));
    expect(calls()).to.equal(1);
  });

  it("refreshes once after a rejection, shared by concurrent callers and rate-limited", async function () {
    const [v1, v2] = [newKey(), newKey()];
    const secretId = await createSecret(v1);
    const { client, calls } = countingClient(moto);
    const keys = provider(secretId, client, { ttlMs: 3_600_000 });
    expect(await keys.getKey()).to.equal(v1);
    await admin.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: v2 }));
    const fresh = await Promise.all(Array.from({ length: 10 }, () => keys.refreshAfterRejection(v1)));
    expect(new Set(fresh)).to.deep.equal(new Set([v2]));
    expect(calls()).to.equal(2);
    // v2 rejected too, right away: no new fetch within the interval.
    expect(await keys.refreshAfterRejection(v2)).to.equal(v2);
    expect(calls()).to.equal(2);
  });

  it("works with the production wiring: OPENAI_SECRET_ID, AWS_ENDPOINT_URL and the default client", async function () {
    const key = newKey();
    const secretId = await createSecret(JSON.stringify({ OPENAI_API_KEY: key }));
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    });
    try {
      // Only the key provider is under test here: sign-in off keeps the pool out of it.
      const config = loadConfig({ OPENAI_SECRET_ID: secretId, AUTH_DISABLED: "true" });
      const logger = createLogger({ level: "debug", redactor, stream: logs });
      const keys = createKeyProvider(config, logger, redactor);
      expect(keys.source).to.equal("secrets-manager");
      expect(await keys.getKey()).to.equal(key);
    } finally {
      for (const name of ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  describe("through the app", function () {
    let fake: FakeOpenAI;

    before(async function () {
      fake = await startFakeOpenAI();
    });

    beforeEach(function () {
      fake.reset();
      fake.setExpectedKey(undefined);
    });

    after(async function () {
      await fake.close();
    });

    async function appWith(secretId: string, client: SecretsManagerClient, failureBackoffMs = 5000) {
      return startTestServer({
        fake,
        env: { OPENAI_API_KEY: undefined },
        keys: ({ logger, redactor: r }) =>
          new SecretsManagerKeyProvider({
            client,
            secretId,
            ttlMs: 3_600_000,
            logger,
            redactor: r,
            failureBackoffMs,
          }),
      });
    }

    it("missing secret: /readyz is 503 with the AWS error code, chat is 503 secret_unavailable", async function () {
      const server = await appWith(`fargate-ai-stack/test/missing-${randomUUID()}`, moto.client());
      try {
        server.keys.warm();
        await eventually(
          () => server.keys.status().reason !== undefined && !/loading/.test(server.keys.status().reason!),
        );
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).to.equal(503);
        expect(await ready.json()).to.deep.equal({
          status: "not_ready",
          reason: "secret unavailable: ResourceNotFoundException",
        });
        const r = await postChat(server.url, chatBody, { headers: server.auth });
        expect(r.status).to.equal(503);
        expect((r.json as { error: { code: string } }).error.code).to.equal("secret_unavailable");
        expect(JSON.stringify(r.json)).to.not.include("ResourceNotFound");
        expect(server.logs.find((e) => e.awsErrorCode === "ResourceNotFoundException")).to.not.equal(
          undefined,
        );
      } finally {
        await server.close();
      }
    });

    it("becomes ready once the secret appears (readiness probes retry)", async function () {
      const name = `fargate-ai-stack/test/late-${randomUUID()}`;
      const server = await appWith(name, moto.client(), 0);
      try {
        expect((await fetch(`${server.url}/readyz`)).status).to.equal(503);
        await admin.send(new CreateSecretCommand({ Name: name, SecretString: newKey() }));
        await until(
          async () => (await fetch(`${server.url}/readyz`)).status === 200,
          10_000,
          "/readyz to turn 200",
        );
      } finally {
        await server.close();
      }
    });

    it("after a rotation, a 401 triggers one refresh and the request is retried with the new key", async function () {
      const [v1, v2] = [newKey(), newKey()];
      const secretId = await createSecret(v1);
      const { client, calls } = countingClient(moto);
      const server = await appWith(secretId, client);
      try {
        fake.setExpectedKey(v1);
        expect(eventNames(await postChat(server.url, chatBody, { headers: server.auth })).at(-1)).to.equal(
          "done",
        );
        // Rotate: the secret and OpenAI move to v2; the cached v1 is now rejected.
        await admin.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: v2 }));
        fake.setExpectedKey(v2);
        const r = await postChat(server.url, chatBody, { headers: server.auth });
        expect(r.status).to.equal(200);
        expect(eventNames(r).at(-1)).to.equal("done");
        const auths = fake.requests.map((q) => q.headers.authorization);
        expect(auths).to.deep.equal([`Bearer ${v1}`, `Bearer ${v1}`, `Bearer ${v2}`]);
        expect(calls()).to.equal(2);
        // Later requests use v2 straight away.
        expect((await postChat(server.url, chatBody, { headers: server.auth })).status).to.equal(200);
        expect(fake.requests.at(-1)?.headers.authorization).to.equal(`Bearer ${v2}`);
        expect(calls()).to.equal(2);
        expect(server.logs.text()).to.not.include(v1).and.not.include(v2);
      } finally {
        await server.close();
      }
    });

    it("a 401 with an unchanged secret is 502 openai_key_rejected after one refresh", async function () {
      const key = newKey();
      const { client, calls } = countingClient(moto);
      const server = await appWith(await createSecret(key), client);
      try {
        fake.setExpectedKey("sk-something-else-entirely");
        const r = await postChat(server.url, chatBody, { headers: server.auth });
        expect(r.status).to.equal(502);
        expect(r.json).to.deep.equal({
          error: { code: "openai_key_rejected", message: "the OpenAI API key was rejected" },
        });
        expect(calls()).to.equal(2);
        expect(fake.state().chatRequests).to.equal(1);
        expect(server.logs.text()).to.not.include(key);
      } finally {
        await server.close();
      }
    });
  });
});
