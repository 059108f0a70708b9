/**
 * `npm run user:add / user:remove / user:list` (scripts/src/commands/user.ts) for real: live/dev's auth unit is
 * applied to a fresh AWS emulator and the commands manage its Cognito users; a one-time password really signs in
 * to Cognito's "choose a new password" step. Bad input fails before any AWS call, with a clear message, and a
 * password is never echoed. Terragrunt works in a temporary download dir, so live/dev/*\/.terragrunt-cache is not
 * touched.
 */
import { expect } from "chai";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import path from "node:path";
import type { Emulator } from "@fargate-ai-stack/test-support";
import { applyDevUnit, devDir, show, type AppliedDevUnit } from "../support/dev-unit.js";
import { projectEnv, run, type RunResult } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

const userScript = path.join(repoRoot, "scripts", "src", "commands", "user.ts");

function user(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<RunResult> {
  return run("node", ["--import", "tsx", userScript, ...args], {
    cwd: repoRoot,
    env,
    input,
    timeoutMs: 5 * 60_000,
  });
}

describe("npm run user:*: bad input", function () {
  this.timeout(60_000);
  const env = projectEnv();
  const usage = /Usage:\n {2}npm run user:add -- --env dev\|prod --email ADDRESS \[--password-stdin\]/;

  it("rejects an unknown action", async () => {
    const result = await user(["rename", "--env", "dev"], env);
    expect(result.code, show(result)).to.equal(2);
    expect(result.stderr).to.match(/^error: unknown action "rename"\n/);
    expect(result.stderr).to.match(usage);
  });

  it("requires --env", async () => {
    const result = await user(["list"], env);
    expect(result.code, show(result)).to.equal(2);
    expect(result.stderr).to.match(/^error: --env is required\n/);
  });

  it("rejects an unknown environment", async () => {
    const result = await user(["list", "--env", "staging"], env);
    expect(result.code, show(result)).to.not.equal(0);
    expect(result.stderr).to.match(/unknown environment 'staging': use one of dev, prod/);
  });

  it("requires an email address for add and remove", async () => {
    const missing = await user(["add", "--env", "dev"], env);
    expect(missing.code, show(missing)).to.equal(2);
    expect(missing.stderr).to.equal("error: --email is required, e.g. --email ada@example.com\n");
    const bad = await user(["remove", "--env", "dev", "--email", "ada.example.com"], env);
    expect(bad.code, show(bad)).to.equal(2);
    expect(bad.stderr).to.equal(
      'error: --email must be an email address, e.g. --email ada@example.com (got "ada.example.com")\n',
    );
  });

  it("never takes a password from the command line, and does not echo it", async () => {
    const result = await user(["add", "--env", "dev", "--email", "ada@example.com", "Hunter2-Secret!"], env);
    expect(result.code, show(result)).to.equal(2);
    expect(result.stderr).to.match(/a password is never accepted on the command line: use --password-stdin/);
    expect(result.stderr + result.stdout).to.not.include("Hunter2");
  });

  it("says list takes only --env", async () => {
    const result = await user(["list", "--env", "dev", "--email", "ada@example.com"], env);
    expect(result.code, show(result)).to.equal(2);
    expect(result.stderr).to.match(/^error: user:list takes only --env\n/);
  });
});

describe("npm run user:*: the users of live/dev's auth unit in the AWS emulator", function () {
  this.timeout(20 * 60_000);
  let unit: AppliedDevUnit;
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    this.timeout(15 * 60_000);
    unit = await applyDevUnit("auth");
    ({ emulator, env } = unit);
  });

  after(async function () {
    this.timeout(5 * 60_000);
    await unit?.close();
  });

  let oneTimePassword = "";

  it("lists no users in a new pool", async () => {
    const result = await user(["list", "--env", "dev"], env);
    expect(result.code, show(result)).to.equal(0);
    expect(result.stdout).to.equal("No users in dev yet: npm run user:add -- --env dev --email ADDRESS\n");
  });

  it("adds a user and prints a one-time password once", async () => {
    const result = await user(["add", "--env", "dev", "--email", "Ada@Example.com"], env);
    expect(result.code, show(result)).to.equal(0);
    expect(result.stdout).to.match(/^Added ada@example\.com to dev\. They choose their own password/);
    const match = /^One-time password \(shown only now\): (\S+)$/m.exec(result.stdout);
    expect(match, show(result)).to.not.equal(null);
    oneTimePassword = match![1]!;
    expect(oneTimePassword)
      .to.match(/[a-z]/)
      .and.match(/[A-Z]/)
      .and.match(/\d/)
      .and.have.length.of.at.least(12);
  });

  it("the one-time password signs in to Cognito's choose-a-new-password step", async () => {
    const pool = JSON.parse(
      (await run("terragrunt", ["output", "-json"], { cwd: path.join(devDir, "auth"), env })).stdout,
    ) as Record<string, { value: string }>;
    const cognito = new CognitoIdentityProviderClient({
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const answer = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.client_id!.value,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "ada@example.com", PASSWORD: oneTimePassword },
      }),
    );
    expect(answer.ChallengeName).to.equal("NEW_PASSWORD_REQUIRED");
  });

  it("lists the user, waiting for a new password", async () => {
    const result = await user(["list", "--env", "dev"], env);
    expect(result.code, show(result)).to.equal(0);
    expect(result.stdout).to.match(/^email +status +enabled +created$/m);
    expect(result.stdout).to.match(/^ada@example\.com +FORCE_CHANGE_PASSWORD +yes +\d{4}-\d\d-\d\dT/m);
  });

  it("refuses to add the same address twice, saying how to start over", async () => {
    const result = await user(["add", "--env", "dev", "--email", "ada@example.com"], env);
    expect(result.code, show(result)).to.equal(2);
    expect(result.stderr).to.match(
      /error: ada@example\.com already has an account in dev: `npm run user:remove -- --env dev --email ada@example\.com` first/,
    );
  });

  it("takes the one-time password from stdin, and refuses one the pool's policy would", async () => {
    const weak = await user(
      ["add", "--env", "dev", "--email", "bob@example.com", "--password-stdin"],
      env,
      "short1\n",
    );
    expect(weak.code, show(weak)).to.equal(2);
    expect(weak.stderr).to.match(
      /error: the password needs at least 12 characters, an upper-case letter, a symbol \(the pool's policy\); nobody was added\n$/,
    );
    expect(weak.stderr + weak.stdout).to.not.include("short1");
    const strong = await user(
      ["add", "--env", "dev", "--email", "bob@example.com", "--password-stdin"],
      env,
      "Long-Enough-Passw0rd\n",
    );
    expect(strong.code, show(strong)).to.equal(0);
    expect(strong.stdout).to.not.include("One-time password");
    expect(strong.stdout + strong.stderr).to.not.include("Long-Enough-Passw0rd");
  });

  it("removes a user; removing again says who is there", async () => {
    const removed = await user(["remove", "--env", "dev", "--email", "ada@example.com"], env);
    expect(removed.code, show(removed)).to.equal(0);
    expect(removed.stdout).to.match(/^Removed ada@example\.com from dev\./);
    const list = await user(["list", "--env", "dev"], env);
    expect(list.stdout).to.not.include("ada@example.com");
    expect(list.stdout).to.match(/^bob@example\.com /m);
    const again = await user(["remove", "--env", "dev", "--email", "ada@example.com"], env);
    expect(again.code, show(again)).to.equal(2);
    // stderr also has the command's first line and, on Node.js 20, the AWS SDK's notice about Node.js 22.
    expect(again.stderr).to.match(
      /^error: ada@example\.com has no account in dev: `npm run user:list -- --env dev` lists them\n$/m,
    );
  });
});
