/**
 * The images unit checks, before it plans, applies or destroys, that the Docker API it builds through and the local
 * registry it pushes to answer (scripts/image-services-check.sh, from live/_envcommon/images.hcl), and says what to
 * start when they do not. Stand-ins answer the two requests the check makes: a Docker API's /_ping on a unix
 * socket and a registry's /v2/.
 */
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { projectEnv, run } from "../support/exec.js";
import { liveDir, repoRoot } from "../support/paths.js";

const check = (dockerHost: string, registry: string) =>
  run("bash", [path.join(repoRoot, "scripts", "image-services-check.sh"), dockerHost, registry]);

/** An HTTP server that answers 200 on one path, listening on a unix socket or a loopback port. */
async function answering(urlPath: string, where: { socket: string } | { port: 0 }): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    response.writeHead(request.url === urlPath ? 200 : 404).end("OK");
  });
  await new Promise<void>((resolve) =>
    "socket" in where ? server.listen(where.socket, resolve) : server.listen(0, "127.0.0.1", resolve),
  );
  return server;
}

describe("the images unit says what to start when its Docker API or registry is missing", function () {
  this.timeout(10 * 60_000);

  let dir: string;
  let dockerApi: http.Server;
  let registry: http.Server;
  let socket: string;
  let registryAddress: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "fas-image-services-"));
    socket = path.join(dir, "docker.sock");
    dockerApi = await answering("/_ping", { socket });
    registry = await answering("/v2/", { port: 0 });
    registryAddress = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
  });

  after(async () => {
    dockerApi?.close();
    registry?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("passes when both answer, and when a promoted release needs only the registry", async () => {
    expect((await check(`unix://${socket}`, registryAddress)).code).to.equal(0);
    expect((await check("", registryAddress)).code).to.equal(0);
    // Real AWS: no local registry.
    expect((await check(`unix://${socket}`, "")).code).to.equal(0);
  });

  it("names the missing Docker API and how to start Podman's", async () => {
    const missing = `unix://${path.join(dir, "none.sock")}`;
    const result = await check(missing, registryAddress);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(`DOCKER_HOST=${missing}, and nothing answers there`);
    expect(result.stderr).to.include(`podman system service --time=0 ${missing}`);
  });

  it("names the missing registry and how to start one", async () => {
    const result = await check(`unix://${socket}`, "127.0.0.1:9");
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include("FAS_IMAGE_REGISTRY=127.0.0.1:9, and nothing answers there");
    expect(result.stderr).to.include("docker-registry serve");
  });

  it("refuses a call without both arguments", async () => {
    const result = await run("bash", [path.join(repoRoot, "scripts", "image-services-check.sh"), "x"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include("usage:");
  });

  describe("in a terragrunt run of live/dev's images unit", () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator();
    });
    after(async () => {
      await emulator?.stop();
    });

    it("stops before the Docker provider with the check's message", async () => {
      const missing = `unix://${path.join(dir, "none.sock")}`;
      const env = projectEnv({
        ...emulator.env,
        // Its own download dir: the shared live/dev/*/.terragrunt-cache folders may be in use by another test
        // process (the system test's npm start).
        TG_DOWNLOAD_DIR: path.join(dir, "terragrunt-cache"),
        TG_BACKEND_BOOTSTRAP: "true",
        DOCKER_HOST: missing,
        FAS_IMAGE_REGISTRY: registryAddress,
      });
      const plan = (unit: string) =>
        run("terragrunt", ["plan", "--non-interactive", "-input=false", "-no-color", "-lock=false"], {
          cwd: path.join(liveDir, "dev", unit),
          env,
        });
      // The ecr unit first: its plan makes the state bucket, in which the images unit then finds no ecr outputs
      // and plans with the ecr unit's mock outputs.
      const ecr = await plan("ecr");
      expect(ecr.code, ecr.stdout + ecr.stderr).to.equal(0);

      const result = await plan("images");
      const output = result.stdout + result.stderr;
      expect(result.code, output).to.not.equal(0);
      expect(output, output).to.include(`DOCKER_HOST=${missing}, and nothing answers there`);
      expect(output).to.not.include("Cannot connect to the Docker daemon");
    });
  });
});
