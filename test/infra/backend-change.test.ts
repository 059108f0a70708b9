/**
 * A unit's .terragrunt-cache remembers the backend of its last init. After env.hcl changes the region (and so the
 * state bucket), the next run against the emulator must simply re-initialise: its state bucket is new on every
 * start, so there is never state to move. Runs on a copy of the Terragrunt tree, one unit (vpc), plan only.
 * Against real AWS OpenTofu refuses a changed backend and the root's error hook says what to run: tested here by
 * turning off, in the copy, the re-initialisation the root does for the emulator (real AWS itself needs
 * credentials).
 */
import { expect } from "chai";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { projectEnv, run } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

describe("a changed env.hcl backend against the emulator", function () {
  this.timeout(15 * 60_000);

  let emulator: Emulator;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const plan = () =>
    run("terragrunt", ["plan", "--non-interactive", "-input=false", "-no-color", "-lock=false"], {
      cwd: path.join(work, "live", "dev", "vpc"),
      env,
    });

  before(async () => {
    emulator = await startEmulator();
    work = await mkdtemp(path.join(os.tmpdir(), "fas-backend-change-"));
    env = projectEnv(emulator.env);
    for (const part of ["terragrunt.hcl", "live", "modules", "scripts/pins.env"]) {
      await cp(path.join(repoRoot, part), path.join(work, part), {
        recursive: true,
        filter: (src) => !/\.terragrunt-cache|\.terraform\b/.test(src),
      });
    }
  });

  after(async () => {
    await emulator?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("plans a unit in the environment's first region", async () => {
    const result = await plan();
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Plan: \d+ to add/);
  });

  it("plans it again after env.hcl moves the environment to another region, re-initialising the backend", async () => {
    const envFile = path.join(work, "live", "dev", "env.hcl");
    const before = await readFile(envFile, "utf8");
    const after = before.replace(/^(\s*region\s*=\s*)"us-east-1"/m, '$1"eu-west-1"');
    expect(after, "env.hcl's region line").to.not.equal(before);
    await writeFile(envFile, after);

    const result = await plan();
    const output = result.stdout + result.stderr;
    expect(output).to.not.include("Backend configuration changed");
    expect(result.code, output).to.equal(0);
    expect(output).to.include("eu-west-1");
  });

  it("says what to run when the backend changed and is not re-initialised (as against AWS)", async () => {
    const root = path.join(work, "terragrunt.hcl");
    const config = await readFile(root, "utf8");
    const asOnAws = config.replace('local.emulated ? ["-reconfigure"] : []', "[]");
    expect(asOnAws, "the root's emulator re-initialisation").to.not.equal(config);
    await writeFile(root, asOnAws);
    const envFile = path.join(work, "live", "dev", "env.hcl");
    await writeFile(envFile, (await readFile(envFile, "utf8")).replace('"eu-west-1"', '"us-west-2"'));

    const result = await plan();
    const output = result.stdout + result.stderr;
    expect(result.code, output).to.not.equal(0);
    expect(output).to.include("Backend configuration changed");
    expect(output).to.include("terragrunt init -migrate-state");
    expect(output).to.include("terragrunt init -reconfigure");
  });
});
