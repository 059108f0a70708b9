// Configuration: defaults, and one clear line per bad variable (never echoing a key).

import { expect } from "chai";
import { ConfigError, loadConfig as load } from "../src/config.js";

/** Sign-in's required variables, so a test can look at something else. */
const SIGNED_IN = {
  AUTH_USER_POOL_ID: "eu-west-1_AbC123xyz",
  AUTH_CLIENT_ID: "1example23456789abcdefghij",
  BUDGET_TABLE: "fargate-ai-stack-dev-budgets",
};

function loadConfig(env: Record<string, string>) {
  return load({ ...SIGNED_IN, ...env });
}

function problems(env: Record<string, string>, base: Record<string, string> = SIGNED_IN): string[] {
  try {
    load({ ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("configuration", function () {
  it("has the documented defaults", function () {
    const c = loadConfig({});
    expect(c.port).to.equal(4000);
    expect(c.host).to.equal("0.0.0.0");
    expect(c.openai).to.deep.equal({
      secretId: undefined,
      apiKey: undefined,
      baseURL: undefined,
      models: ["gpt-4o-mini", "gpt-4.1-mini"],
      defaultModel: "gpt-4o-mini",
      timeoutMs: 60_000,
      maxRetries: 2,
    });
    expect(c.corsOrigins).to.deep.equal([]);
    expect(c.logLevel).to.equal("info");
    expect(c.logMessageContent).to.equal(false);
    expect(c.secretTtlMs).to.equal(300_000);
    expect(c.auth).to.deep.equal({
      userPoolId: "eu-west-1_AbC123xyz",
      clientId: "1example23456789abcdefghij",
      region: "eu-west-1",
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz",
      jwksUrl: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz/.well-known/jwks.json",
    });
    expect(c.budget).to.deep.equal({
      table: "fargate-ai-stack-dev-budgets",
      userDailyTokens: 200_000,
      environmentDailyTokens: 5_000_000,
      maxCompletionTokens: 1024,
      environmentName: "local",
    });
    expect(c.shutdownTimeoutMs).to.equal(25_000);
    expect(c.heartbeatIntervalMs).to.equal(15_000);
    expect(c.trustProxy).to.equal(1);
  });

  it("reads every variable", function () {
    const c = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      OPENAI_SECRET_ID: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/openai-AbCdEf",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1/",
      OPENAI_MODELS: " llama3.1:8b , gpt-4o-mini,llama3.1:8b",
      OPENAI_DEFAULT_MODEL: "gpt-4o-mini",
      OPENAI_TIMEOUT_MS: "1500",
      OPENAI_MAX_RETRIES: "0",
      CORS_ORIGINS: "https://chat.example.com, http://localhost:3000",
      LOG_LEVEL: "debug",
      LOG_MESSAGE_CONTENT: "yes",
      SECRET_TTL_SECONDS: "5",
      BUDGET_USER_DAILY_TOKENS: "1000",
      BUDGET_ENVIRONMENT_DAILY_TOKENS: "50000",
      MAX_COMPLETION_TOKENS: "256",
      ENVIRONMENT_NAME: "prod",
      SHUTDOWN_TIMEOUT_SECONDS: "3",
      HEARTBEAT_INTERVAL_MS: "50",
      TRUST_PROXY: "2",
    });
    expect(c.port).to.equal(8080);
    expect(c.openai.baseURL).to.equal("http://127.0.0.1:11434/v1");
    expect(c.openai.models).to.deep.equal(["llama3.1:8b", "gpt-4o-mini"]);
    expect(c.openai.defaultModel).to.equal("gpt-4o-mini");
    expect(c.corsOrigins).to.deep.equal(["https://chat.example.com", "http://localhost:3000"]);
    expect(c.logMessageContent).to.equal(true);
    expect(c.secretTtlMs).to.equal(5000);
    expect(c.budget).to.deep.include({
      userDailyTokens: 1000,
      environmentDailyTokens: 50_000,
      maxCompletionTokens: 256,
      environmentName: "prod",
    });
    expect(c.shutdownTimeoutMs).to.equal(3000);
    expect(c.trustProxy).to.equal(2);
    // AWS_REGION unset: the region comes from the ARN.
    expect(c.awsRegion).to.equal("eu-west-1");
  });

  it("defaults the model to the first of OPENAI_MODELS", function () {
    expect(loadConfig({ OPENAI_MODELS: "b-model,a-model" }).openai.defaultModel).to.equal("b-model");
  });

  it("treats empty variables as unset", function () {
    expect(loadConfig({ PORT: "", OPENAI_API_KEY: "  ", OPENAI_BASE_URL: "" }).port).to.equal(4000);
  });

  it("leaves the region to the SDK when AWS_REGION is set", function () {
    const c = loadConfig({
      AWS_REGION: "us-east-1",
      OPENAI_SECRET_ID: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x",
    });
    expect(c.awsRegion).to.equal(undefined);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    [
      "PORT not a number",
      { PORT: "http" },
      /^PORT must be a whole number from 0 to 65535 \(got "http"\)\. Example: PORT=4000$/,
    ],
    ["PORT out of range", { PORT: "70000" }, /^PORT must be a whole number from 0 to 65535/],
    ["HOST with a scheme", { HOST: "http://x" }, /^HOST must be a host name or IP address/],
    [
      "OPENAI_BASE_URL not a URL",
      { OPENAI_BASE_URL: "localhost:11434" },
      /^OPENAI_BASE_URL must use http or https|^OPENAI_BASE_URL must be an absolute/,
    ],
    ["OPENAI_BASE_URL ftp", { OPENAI_BASE_URL: "ftp://x/v1" }, /^OPENAI_BASE_URL must use http or https/],
    ["OPENAI_MODELS empty list", { OPENAI_MODELS: " , ," }, /^OPENAI_MODELS must list at least one model/],
    ["OPENAI_MODELS bad id", { OPENAI_MODELS: "gpt 4" }, /^OPENAI_MODELS "gpt 4" is not a valid model id/],
    [
      "OPENAI_DEFAULT_MODEL not listed",
      { OPENAI_DEFAULT_MODEL: "gpt-5" },
      /^OPENAI_DEFAULT_MODEL must be one of OPENAI_MODELS \(gpt-4o-mini, gpt-4\.1-mini\)/,
    ],
    [
      "OPENAI_TIMEOUT_MS zero",
      { OPENAI_TIMEOUT_MS: "0" },
      /^OPENAI_TIMEOUT_MS must be a whole number from 1 to 600000/,
    ],
    [
      "OPENAI_MAX_RETRIES negative",
      { OPENAI_MAX_RETRIES: "-1" },
      /^OPENAI_MAX_RETRIES must be a whole number from 0 to 10/,
    ],
    [
      "CORS_ORIGINS with a path",
      { CORS_ORIGINS: "https://a.example/app" },
      /^CORS_ORIGINS "https:\/\/a\.example\/app" is not an origin/,
    ],
    ["CORS_ORIGINS wildcard", { CORS_ORIGINS: "*" }, /^CORS_ORIGINS "\*" is not an origin/],
    [
      "LOG_LEVEL unknown",
      { LOG_LEVEL: "trace" },
      /^LOG_LEVEL must be one of error, warn, info, http, verbose, debug, silly/,
    ],
    [
      "LOG_MESSAGE_CONTENT not boolean",
      { LOG_MESSAGE_CONTENT: "maybe" },
      /^LOG_MESSAGE_CONTENT must be true or false/,
    ],
    [
      "SECRET_TTL_SECONDS fractional",
      { SECRET_TTL_SECONDS: "1.5" },
      /^SECRET_TTL_SECONDS must be a whole number/,
    ],
    [
      "AUTH_USER_POOL_ID without a region",
      { AUTH_USER_POOL_ID: "AbC123" },
      /^AUTH_USER_POOL_ID must be a Cognito user pool id \(<region>_<id>\) \(got "AbC123"\)/,
    ],
    [
      "AUTH_CLIENT_ID with a space",
      { AUTH_CLIENT_ID: "a b" },
      /^AUTH_CLIENT_ID must be a Cognito app client id/,
    ],
    ["AUTH_JWKS_URL not a URL", { AUTH_JWKS_URL: "keys.json" }, /^AUTH_JWKS_URL must be an absolute/],
    ["AUTH_DISABLED not boolean", { AUTH_DISABLED: "perhaps" }, /^AUTH_DISABLED must be true or false/],
    ["BUDGET_TABLE with a slash", { BUDGET_TABLE: "a/b" }, /^BUDGET_TABLE must be a DynamoDB table name/],
    [
      "BUDGET_USER_DAILY_TOKENS zero",
      { BUDGET_USER_DAILY_TOKENS: "0" },
      /^BUDGET_USER_DAILY_TOKENS must be a whole number from 1/,
    ],
    [
      "BUDGET_ENVIRONMENT_DAILY_TOKENS text",
      { BUDGET_ENVIRONMENT_DAILY_TOKENS: "lots" },
      /^BUDGET_ENVIRONMENT_DAILY_TOKENS must be a whole number/,
    ],
    [
      "MAX_COMPLETION_TOKENS negative",
      { MAX_COMPLETION_TOKENS: "-5" },
      /^MAX_COMPLETION_TOKENS must be a whole number/,
    ],
    ["ENVIRONMENT_NAME with #", { ENVIRONMENT_NAME: "dev#1" }, /^ENVIRONMENT_NAME must be letters/],
    [
      "SHUTDOWN_TIMEOUT_SECONDS text",
      { SHUTDOWN_TIMEOUT_SECONDS: "soon" },
      /^SHUTDOWN_TIMEOUT_SECONDS must be a whole number/,
    ],
    [
      "HEARTBEAT_INTERVAL_MS too small",
      { HEARTBEAT_INTERVAL_MS: "1" },
      /^HEARTBEAT_INTERVAL_MS must be a whole number from 10/,
    ],
    [
      "OPENAI_SECRET_ID with spaces",
      { OPENAI_SECRET_ID: "my secret" },
      /^OPENAI_SECRET_ID must be a secret name or ARN/,
    ],
  ];
  for (const [name, env, message] of bad) {
    it(`rejects ${name} with one line naming the variable and an example`, function () {
      const found = problems(env);
      expect(found).to.have.length(1);
      expect(found[0]).to.match(message);
      expect(found[0]).to.match(/Example: [A-Z_]+=/);
    });
  }

  it("reports every bad variable at once", function () {
    expect(problems({ PORT: "x", LOG_LEVEL: "y", OPENAI_MAX_RETRIES: "z" })).to.have.length(3);
  });

  it("refuses to start without the pool and client unless AUTH_DISABLED=true", function () {
    const found = problems({}, {});
    expect(found).to.have.length(2);
    expect(found[0]).to.match(
      /^AUTH_USER_POOL_ID and AUTH_CLIENT_ID are required .*AUTH_DISABLED=true.*Example: AUTH_USER_POOL_ID=/,
    );
    expect(found[1]).to.match(/^BUDGET_TABLE is required when sign-in is on.*Example: BUDGET_TABLE=/);
    expect(problems({ AUTH_USER_POOL_ID: "us-east-1_X" }, {})[0]).to.match(/^AUTH_CLIENT_ID is required/);
  });

  it("needs neither with AUTH_DISABLED=true; budgets are then off unless BUDGET_TABLE is set", function () {
    const c = load({ AUTH_DISABLED: "true" });
    expect(c.auth).to.equal(undefined);
    expect(c.budget.table).to.equal(undefined);
    expect(load({ AUTH_DISABLED: "true", BUDGET_TABLE: "t-1" }).budget.table).to.equal("t-1");
  });

  it("reads the signing keys from the emulator when AWS_ENDPOINT_URL is set, or from AUTH_JWKS_URL", function () {
    const emulated = loadConfig({ AWS_ENDPOINT_URL: "http://127.0.0.1:5000/" });
    expect(emulated.auth?.jwksUrl).to.equal(
      "http://127.0.0.1:5000/eu-west-1_AbC123xyz/.well-known/jwks.json",
    );
    // The issuer stays the real one: the tokens name it, wherever the keys come from.
    expect(emulated.auth?.issuer).to.equal("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz");
    const mirrored = loadConfig({
      AWS_ENDPOINT_URL: "http://x:1",
      AUTH_JWKS_URL: "https://keys.example/jwks.json",
    });
    expect(mirrored.auth?.jwksUrl).to.equal("https://keys.example/jwks.json");
  });

  it("takes the pool's region from its id", function () {
    expect(loadConfig({ AUTH_USER_POOL_ID: "us-gov-west-1_Zz9" }).auth?.region).to.equal("us-gov-west-1");
  });

  it("never echoes OPENAI_API_KEY in an error", function () {
    const [line] = problems({ OPENAI_API_KEY: "sk-secret value" });
    expect(line).to.match(/^OPENAI_API_KEY must not contain whitespace\. Example:/);
    expect(line).to.not.include("sk-secret");
  });
});
