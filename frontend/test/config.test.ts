import { expect } from "chai";
import { loadConfig } from "../server/config.js";
import { listeningUrl, spawnFrontend } from "./support/frontend-process";

const GOOD = "http://backend.dev.fargate-ai-stack.local:4000";
const SECRET = "a-session-secret-of-at-least-32-characters";
/** The variables every start needs besides BACKEND_URL. */
const AUTH = {
  AUTH_USER_POOL_ID: "eu-west-1_AbC123xyz",
  AUTH_CLIENT_ID: "1example23456789",
  SESSION_SECRET: SECRET,
};
const AUTH_CONFIG = {
  userPoolId: "eu-west-1_AbC123xyz",
  clientId: "1example23456789",
  region: "eu-west-1",
  endpoint: undefined,
  sessionSecret: SECRET,
};

function errorsFor(env: Record<string, string>): string[] {
  const result = loadConfig(env);
  if (result.ok) throw new Error("expected a configuration error");
  return result.errors;
}

describe("configuration", () => {
  it("accepts the Cloud Map URL and applies defaults", () => {
    const result = loadConfig({ BACKEND_URL: GOOD, ...AUTH });
    expect(result).to.deep.equal({
      ok: true,
      config: {
        port: 3000,
        host: "0.0.0.0",
        backendUrl: GOOD,
        logLevel: "info",
        production: false,
        auth: AUTH_CONFIG,
      },
    });
  });

  it("normalises a trailing slash and reads PORT, HOST, LOG_LEVEL and NODE_ENV", () => {
    const result = loadConfig({
      ...AUTH,
      BACKEND_URL: `${GOOD}/`,
      PORT: "8080",
      HOST: "127.0.0.1",
      LOG_LEVEL: "DEBUG",
      NODE_ENV: "production",
    });
    expect(result.ok && result.config).to.deep.equal({
      port: 8080,
      host: "127.0.0.1",
      backendUrl: GOOD,
      logLevel: "debug",
      production: true,
      auth: AUTH_CONFIG,
    });
  });

  it("takes the Cognito region from the pool id and the endpoint from AWS_ENDPOINT_URL", () => {
    const result = loadConfig({
      BACKEND_URL: GOOD,
      ...AUTH,
      AUTH_USER_POOL_ID: "us-east-1_9zYx",
      AWS_ENDPOINT_URL: "http://127.0.0.1:5000/",
    });
    expect(result.ok && result.config.auth).to.deep.equal({
      ...AUTH_CONFIG,
      userPoolId: "us-east-1_9zYx",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:5000",
    });
  });

  it("never echoes SESSION_SECRET in its errors", () => {
    const short = "hunter2-but-a-bit-longer";
    const errors = errorsFor({ BACKEND_URL: GOOD, ...AUTH, SESSION_SECRET: short });
    expect(errors).to.deep.equal([
      "Configuration error: SESSION_SECRET is too short; it needs at least 32 characters. Example: SESSION_SECRET=$(openssl rand -base64 48)",
    ]);
    expect(errors.join("\n")).not.to.include(short);
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    ["missing BACKEND_URL", { ...AUTH }, /^Configuration error: BACKEND_URL is not set/],
    ["empty BACKEND_URL", { ...AUTH, BACKEND_URL: " " }, /^Configuration error: BACKEND_URL is empty/],
    [
      "a missing AUTH_USER_POOL_ID",
      { BACKEND_URL: GOOD, AUTH_CLIENT_ID: "abc", SESSION_SECRET: SECRET },
      /^Configuration error: AUTH_USER_POOL_ID is not set/,
    ],
    [
      "a malformed AUTH_USER_POOL_ID",
      { BACKEND_URL: GOOD, ...AUTH, AUTH_USER_POOL_ID: "AbC123" },
      /AUTH_USER_POOL_ID must be a Cognito user pool id, <region>_<id> \(got "AbC123"\)/,
    ],
    [
      "a missing AUTH_CLIENT_ID",
      { BACKEND_URL: GOOD, AUTH_USER_POOL_ID: "us-east-1_x", SESSION_SECRET: SECRET },
      /^Configuration error: AUTH_CLIENT_ID is not set/,
    ],
    [
      "a missing SESSION_SECRET",
      { BACKEND_URL: GOOD, AUTH_USER_POOL_ID: "us-east-1_x", AUTH_CLIENT_ID: "abc" },
      /^Configuration error: SESSION_SECRET is not set/,
    ],
    [
      "an AWS_ENDPOINT_URL that is not a URL",
      { BACKEND_URL: GOOD, ...AUTH, AWS_ENDPOINT_URL: "localhost:5000" },
      /AWS_ENDPOINT_URL must be an http\(s\) URL/,
    ],
    [
      "a BACKEND_URL that is not a URL",
      { ...AUTH, BACKEND_URL: "backend:4000" },
      /BACKEND_URL must start with http/,
    ],
    [
      "a BACKEND_URL without a scheme",
      { ...AUTH, BACKEND_URL: "not a url" },
      /BACKEND_URL is not a valid URL \(got "not a url"\)/,
    ],
    [
      "a BACKEND_URL with a path",
      { ...AUTH, BACKEND_URL: `${GOOD}/api` },
      /BACKEND_URL must be the backend's base URL without a path/,
    ],
    [
      "a BACKEND_URL with credentials",
      { ...AUTH, BACKEND_URL: "http://u:p@backend:4000" },
      /BACKEND_URL must not contain credentials/,
    ],
    [
      "a non-numeric PORT",
      { ...AUTH, BACKEND_URL: GOOD, PORT: "http" },
      /^Configuration error: PORT must be a whole number from 0 to 65535 \(got "http"\)/,
    ],
    ["an out-of-range PORT", { ...AUTH, BACKEND_URL: GOOD, PORT: "70000" }, /PORT must be a whole number/],
    [
      "an unknown LOG_LEVEL",
      { ...AUTH, BACKEND_URL: GOOD, LOG_LEVEL: "loud" },
      /LOG_LEVEL must be one of error, warn, info/,
    ],
  ];
  for (const [name, env, pattern] of cases) {
    it(`rejects ${name} with one line naming the variable and an example`, () => {
      const errors = errorsFor(env);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(pattern);
      const variable = /Configuration error: (\w+)/.exec(errors[0]!)?.[1];
      expect(errors[0]).to.match(new RegExp(`Example: ${variable}=\\S.*$`));
      expect(errors[0]).not.to.include("\n");
    });
  }

  it("reports every bad variable, one line each", () => {
    // BACKEND_URL, PORT, LOG_LEVEL and the three auth variables.
    expect(errorsFor({ PORT: "x", LOG_LEVEL: "loud" })).to.have.length(6);
  });

  describe("server start-up", () => {
    it("exits 1 with a clear message when BACKEND_URL is missing", async () => {
      const server = spawnFrontend({ ...AUTH });
      const { code } = await server.exited;
      expect(code).to.equal(1);
      expect(server.output().trim()).to.equal(
        `Configuration error: BACKEND_URL is not set; the frontend needs it to reach the backend. Example: BACKEND_URL=${GOOD}`,
      );
    });

    it("exits 1 with a clear message when BACKEND_URL is malformed", async () => {
      const server = spawnFrontend({ ...AUTH, BACKEND_URL: "backend.dev.fargate-ai-stack.local" });
      const { code } = await server.exited;
      expect(code).to.equal(1);
      expect(server.output()).to.match(/^Configuration error: BACKEND_URL .*Example: BACKEND_URL=http:\/\//);
    });

    it("starts with a valid configuration and stops cleanly on SIGTERM", async () => {
      const server = spawnFrontend({ ...AUTH, BACKEND_URL: "http://127.0.0.1:9" });
      const health = await fetch(`${await listeningUrl(server)}/healthz`);
      expect(health.status).to.equal(200);
      expect(health.headers.get("keep-alive")).to.equal("timeout=65");
      server.child.kill("SIGTERM");
      const { code } = await server.exited;
      expect(code).to.equal(0);
      expect(server.output()).to.include('"message":"stopped"');
    });
  });
});
