/**
 * The commands' AWS SDK calls for live/<env> go to the region of its env.hcl, where Terragrunt deployed it, whatever
 * AWS_REGION says (a shell's default region, or the region of another environment that `npm start` published in
 * its session). With live/prod in another region than dev, `npm start -- --env prod` applied every unit and then
 * looked for the cluster in us-east-1.
 *
 * Then the whole local flow in a second region: `npm start -- --env prod` on a clone whose live/prod is moved to
 * another region applies there, finds its cluster there and runs healthy containers.
 */
import { ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { expect } from "chai";
import { readFile, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { environments, envRegion } from "../../scripts/src/lib/environments.js";
import { sdkConfig, type Target } from "../../scripts/src/lib/target.js";
import { runOk } from "../support/exec.js";
import { interrupt, npmStart, type StartedSystem } from "../support/npm-start.js";
import { repoRoot } from "../support/paths.js";

const elsewhere = "ap-southeast-2";

describe("the commands use each environment's own region", () => {
  for (const env of environments()) {
    it(`live/${env}: the region of its env.hcl, not AWS_REGION, against the emulator and AWS`, () => {
      const region = envRegion(env);
      expect(region).to.match(/^[a-z]{2}(-[a-z]+)+-\d$/);
      expect(region).to.not.equal(elsewhere);
      const emulator: Target = {
        kind: "emulator",
        env: { AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_REGION: elsewhere, AWS_DEFAULT_REGION: elsewhere },
        description: "an emulator",
      };
      const aws: Target = { kind: "aws", env: { AWS_REGION: elsewhere }, description: "AWS" };
      expect(sdkConfig(emulator, env)).to.include({ region, endpoint: "http://127.0.0.1:1" });
      expect(sdkConfig(aws, env)).to.deep.equal({ region });
    });
  }
});

describe("npm start -- --env prod with live/prod moved to another region (on a clone)", function () {
  this.timeout(40 * 60_000);
  const region = "eu-west-1";
  let clone: string;
  let started: StartedSystem | undefined;

  before(async function () {
    expect(envRegion("prod")).to.not.equal(region);
    clone = await mkdtemp(path.join(os.tmpdir(), "fas-second-region-"));
    await runOk("git", ["clone", "-q", "--local", repoRoot, clone]);
    // The checkout's installed dependencies and tools, as a second clone on this machine would set them up.
    for (const installed of ["node_modules", "frontend/node_modules", ".tools"]) {
      await symlink(path.join(repoRoot, installed), path.join(clone, installed));
    }
    const envFile = path.join(clone, "live", "prod", "env.hcl");
    const moved = (await readFile(envFile, "utf8")).replace(/^(\s*region\s*=\s*)"[^"]+"/m, `$1"${region}"`);
    expect(moved).to.include(`"${region}"`);
    await writeFile(envFile, moved);
    started = await npmStart(["--env", "prod"], {}, clone);
  });

  after(async function () {
    if (started) await interrupt(started.child);
    if (clone) await rm(clone, { recursive: true, force: true });
  });

  it("applies every unit in that region and runs healthy containers from it", async () => {
    const output = started?.output ?? "";
    expect(output).to.match(/backend\s+fargate-ai-stack-prod-backend\s+running\s+healthy/);
    expect(output).to.match(/frontend\s+fargate-ai-stack-prod-frontend\s+running\s+healthy/);
    const session = JSON.parse(await readFile(path.join(clone, ".run", "local", "session.json"), "utf8")) as {
      endpoint: string;
    };
    const clusters = async (where: string) => {
      const ecs = new ECSClient({
        region: where,
        endpoint: session.endpoint,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      return (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
    };
    expect(await clusters(region)).to.deep.equal([
      `arn:aws:ecs:${region}:123456789012:cluster/fargate-ai-stack-prod`,
    ]);
    expect(await clusters(envRegion("prod"))).to.deep.equal([]);
    expect((await fetch(started?.appUrl ?? "")).status).to.equal(200);
  });
});
