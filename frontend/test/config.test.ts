import { expect } from "chai";
import { loadConfig } from "../server/config.js";
import { listeningUrl, spawnFrontend } from "./support/frontend-process";

const GOOD = "http://backend.dev.fargate-ai-stack.local:4000";

function errorsFor(env: Record<string, string>): string[] {
  const result = loadConfig(env);
  if (result.ok) throw new Error("expected a configuration error");
  return result.errors;
}

describe("configuration", () => {
  it("accepts the Cloud Map URL and applies defaults", () => {
    const result = loadConfig({ BACKEND_URL: GOOD });
    expect(result).to.deep.equal({
      ok: true,
      config: { port: 3000, host: "0.0.0.0", backendUrl: GOOD, logLevel: "info", production: false },
    });
  });

  it("normalises a trailing slash and reads PORT, HOST, LOG_LEVEL and NODE_ENV", () => {
    const result = loadConfig({
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
    });
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    ["missing BACKEND_URL", {}, /^Configuration error: BACKEND_URL is not set/],
    ["empty BACKEND_URL", { BACKEND_URL: " " }, /^Configuration error: BACKEND_URL is empty/],
    ["a BACKEND_URL that is not a URL", { BACKEND_URL: "backend:4000" }, /BACKEND_URL must start with http/],
    [
      "a BACKEND_URL without a scheme",
      { BACKEND_URL: "not a url" },
      /BACKEND_URL is not a valid URL \(got "not a url"\)/,
    ],
    [
      "a BACKEND_URL with a path",
      { BACKEND_URL: `${GOOD}/api` },
      /BACKEND_URL must be the backend's base URL without a path/,
    ],
    [
      "a BACKEND_URL with credentials",
      { BACKEND_URL: "http://u:p@backend:4000" },
      /BACKEND_URL must not contain credentials/,
    ],
    [
      "a non-numeric PORT",
      { BACKEND_URL: GOOD, PORT: "http" },
      /^Configuration error: PORT must be a whole number from 0 to 65535 \(got "http"\)/,
    ],
    ["an out-of-range PORT", { BACKEND_URL: GOOD, PORT: "70000" }, /PORT must be a whole number/],
    [
      "an unknown LOG_LEVEL",
      { BACKEND_URL: GOOD, LOG_LEVEL: "loud" },
      /LOG_LEVEL must be one of error, warn, info/,
    ],
  ];
  for (const [name, env, pattern] of cases) {
    it(`rejects ${name} with one line naming the variable and an example`, () => {
      const errors = errorsFor(env);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(pattern);
      const variable = /Configuration error: (\w+)/.exec(errors[0]!)?.[1];
      expect(errors[0]).to.match(new RegExp(`Example: ${variable}=\\S+$`));
      expect(errors[0]).not.to.include("\n");
    });
  }

  it("reports every bad variable, one line each", () => {
    expect(errorsFor({ PORT: "x", LOG_LEVEL: "loud" })).to.have.length(3);
  });

  describe("server start-up", () => {
    it("exits 1 with a clear message when BACKEND_URL is missing", async () => {
      const server = spawnFrontend({});
      const { code } = await server.exited;
      expect(code).to.equal(1);
      expect(server.output().trim()).to.equal(
        `Configuration error: BACKEND_URL is not set; the frontend needs it to reach the backend. Example: BACKEND_URL=${GOOD}`,
      );
    });

    it("exits 1 with a clear message when BACKEND_URL is malformed", async () => {
      const server = spawnFrontend({ BACKEND_URL: "backend.dev.fargate-ai-stack.local" });
      const { code } = await server.exited;
      expect(code).to.equal(1);
      expect(server.output()).to.match(/^Configuration error: BACKEND_URL .*Example: BACKEND_URL=http:\/\//);
    });

    it("starts with a valid configuration and stops cleanly on SIGTERM", async () => {
      const server = spawnFrontend({ BACKEND_URL: "http://127.0.0.1:9" });
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
