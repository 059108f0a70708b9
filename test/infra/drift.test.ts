/**
 * `npm run drift` (scripts/src/commands/drift.ts) for real: the vpc unit of live/dev is applied to a fresh AWS emulator,
 * the drift check finds nothing; a tag added to the VPC behind Terraform's back is drift in the unit vpc (exit
 * 2). Bad input and an unreachable emulator fail with exit 1 and a clear message. Terragrunt works in a
 * temporary download dir, so the shared live/dev/*\/.terragrunt-cache folders are not touched.
 */
import { expect } from "chai";
import { CreateTagsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import path from "node:path";
import { freePort, type Emulator } from "@fargate-ai-stack/test-support";
import { applyDevUnit, show, type AppliedDevUnit } from "../support/dev-unit.js";
import { projectEnv, run, type RunResult } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

const driftScript = path.join(repoRoot, "scripts", "src", "commands", "drift.ts");
const devUnits =
  "alb, auth, backend, budgets, ecr, ecs-cluster, frontend, images, monitoring, notifications, secrets, vpc, waf";

function drift(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run("node", ["--import", "tsx", driftScript, ...args], {
    cwd: repoRoot,
    env,
    timeoutMs: 10 * 60_000,
  });
}

describe("npm run drift: bad input", function () {
  this.timeout(60_000);
  const env = projectEnv();

  it("rejects an unknown environment", async () => {
    const result = await drift(["--env", "x"], env);
    expect(result.code, show(result)).to.equal(1);
    expect(result.stderr).to.equal("error: unknown environment 'x': use one of dev, prod\n");
    expect(result.stdout).to.equal("");
  });

  it("requires --env", async () => {
    const result = await drift([], env);
    expect(result.code, show(result)).to.equal(1);
    expect(result.stderr).to.equal("error: --env is required: use one of dev, prod\n");
  });

  it("rejects an unknown unit", async () => {
    const result = await drift(["--env", "dev", "--unit", "vpc,nope"], env);
    expect(result.code, show(result)).to.equal(1);
    expect(result.stderr).to.equal(`error: unknown unit 'nope' in live/dev: use one of ${devUnits}\n`);
  });

  it("says the emulator is down when AWS_ENDPOINT_URL points at a closed port", async () => {
    // A free port is one nothing listens on.
    const port = await freePort();
    const started = Date.now();
    const result = await drift(["--env", "dev", "--unit", "vpc"], {
      ...env,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
    });
    expect(result.code, show(result)).to.equal(1);
    expect(result.stderr).to.equal(
      `error: cannot reach the AWS endpoint http://127.0.0.1:${port} (AWS_ENDPOINT_URL): connection refused. ` +
        "Start the emulator (npm start, or scripts/moto.sh start) or unset AWS_ENDPOINT_URL to check real AWS.\n",
    );
    expect(Date.now() - started, "fails fast, without running terragrunt").to.be.below(20_000);
  });

  it("prints its usage with --help", async () => {
    const result = await drift(["--help"], env);
    expect(result.code, show(result)).to.equal(0);
    expect(result.stdout).to.match(/^Usage: npm run drift -- --env dev\|prod \[--unit NAME\]\.\.\./);
  });
});

describe("npm run drift: the vpc unit of live/dev against the AWS emulator", function () {
  this.timeout(20 * 60_000);
  let unit: AppliedDevUnit;
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    this.timeout(15 * 60_000);
    unit = await applyDevUnit("vpc");
    ({ emulator, env } = unit);
  });

  after(async function () {
    this.timeout(10 * 60_000);
    await unit?.close({ destroy: true });
  });

  it("exits 0 with 'no drift' right after the apply", async () => {
    const result = await drift(["--env", "dev", "--unit", "vpc"], env);
    expect(result.code, show(result)).to.equal(0);
    expect(result.stdout).to.match(/^ {2}vpc {2}no changes$/m);
    expect(result.stdout).to.match(
      /^No drift in live\/dev: no changes in 1 units \(\d+ s, terragrunt exit 0\)$/m,
    );
    expect(result.stderr).to.equal("");
  });

  it("exits 2 and names the unit vpc after a tag is added to the VPC out of band", async () => {
    const ec2 = new EC2Client({
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const vpcs =
      (
        await ec2.send(
          new DescribeVpcsCommand({
            Filters: [
              { Name: "tag:env", Values: ["dev"] },
              { Name: "tag:app", Values: ["fargate-ai-stack"] },
            ],
          }),
        )
      ).Vpcs ?? [];
    expect(vpcs, "the applied VPC").to.have.length(1);
    await ec2.send(
      new CreateTagsCommand({ Resources: [vpcs[0]!.VpcId!], Tags: [{ Key: "changed-by", Value: "hand" }] }),
    );

    const result = await drift(["--env", "dev", "--unit", "vpc"], env);
    expect(result.code, show(result)).to.equal(2);
    expect(result.stdout).to.match(
      /^ {2}vpc {2}drifted {2}Plan: 0 to add, 1 to change, 0 to destroy\. \(aws_vpc\.this\)$/m,
    );
    expect(result.stdout).to.match(
      /^Drift in live\/dev: 1 of 1 units have changes: vpc \(\d+ s, terragrunt exit \d\)$/m,
    );
  });
});
