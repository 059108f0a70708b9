/**
 * `npm run services`, the manual path's one command (README: "Running against the emulator"): it starts the AWS
 * emulator, a local registry and Podman's Docker API, writes the exports to .run/local/services.env, and stops
 * all of it on Ctrl-C. The images unit's own check (scripts/image-services-check.sh) passes with what it exports.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import path from "node:path";
import { answersOk, spawnProcess, type RunningProcess } from "@fargate-ai-stack/test-support";
import { servicesEnvFile } from "../../scripts/src/lib/session.js";
import { projectEnv, run } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

/** The variables a sourced services.env exports. */
async function exportsOf(file: string): Promise<Record<string, string>> {
  const { stdout } = await run("bash", ["-c", `. '${file}' >/dev/null && env -0`], {
    env: { PATH: process.env.PATH },
  });
  return Object.fromEntries(
    stdout
      .split("\0")
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("npm run services: emulator, registry and Docker API for your own terragrunt runs", function () {
  this.timeout(5 * 60_000);

  let services: RunningProcess;
  let exported: Record<string, string>;

  before(async () => {
    services = spawnProcess("bash", [path.join(repoRoot, "scripts", "run.sh"), "exec", "services"], {
      env: projectEnv(),
      group: true,
    });
    await services.waitForLine(/^Ready\. Press Ctrl-C/, 4 * 60_000);
    exported = await exportsOf(servicesEnvFile);
  });

  after(async () => {
    if (services && !services.hasExited()) await services.stop(15_000);
  });

  it("exports the emulator, the registry and the Docker API, and the project's tools", async () => {
    expect(exported.AWS_ENDPOINT_URL).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await answersOk(`${exported.AWS_ENDPOINT_URL}/moto-api/config`)).to.equal(true);
    expect(exported.TG_BACKEND_BOOTSTRAP).to.equal("true");
    expect(exported.FAS_LOCAL_HOSTED_ZONE, "production's stand-in domain in the emulator").to.equal(
      "fargate-ai-stack.test",
    );
    expect(exported.PATH?.split(":")[0], "project_env puts the pinned tools first").to.equal(
      path.join(repoRoot, ".tools", "bin"),
    );
    const check = await run("bash", [
      path.join(repoRoot, "scripts", "image-services-check.sh"),
      exported.DOCKER_HOST ?? "",
      exported.FAS_IMAGE_REGISTRY ?? "",
    ]);
    expect(check.code, check.stderr).to.equal(0);
    expect(exported.DOCKER_HOST).to.match(/^unix:\/\//);
    expect(exported.FAS_IMAGE_REGISTRY).to.match(/^127\.0\.0\.1:\d+$/);
  });

  it("refuses to start twice", async () => {
    const second = await run("bash", [path.join(repoRoot, "scripts", "run.sh"), "exec", "services"], {
      env: projectEnv(),
    });
    expect(second.code).to.equal(2);
    expect(second.stderr).to.include("already runs the emulator");
  });

  it("stops everything on Ctrl-C", async () => {
    const endpoint = exported.AWS_ENDPOINT_URL ?? "";
    const socket = (exported.DOCKER_HOST ?? "").replace(/^unix:\/\//, "");
    process.kill(-services.child.pid!, "SIGINT");
    const status = await services.exited;
    expect(status.code, services.output()).to.equal(0);
    expect(services.output()).to.include("Nothing is left running");
    expect(existsSync(servicesEnvFile), "services.env is removed").to.equal(false);
    expect(await answersOk(`${endpoint}/moto-api/config`)).to.equal(false);
    expect(await answersOk(`http://${exported.FAS_IMAGE_REGISTRY}/v2/`)).to.equal(false);
    expect(
      existsSync(socket)
        ? (await run("curl", ["-fsS", "--max-time", "3", "--unix-socket", socket, "http://d/_ping"])).code
        : 7,
    ).to.not.equal(0);
  });
});
