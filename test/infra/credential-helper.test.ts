/**
 * docker-credential-fas-ecr (scripts/bin), the Docker credential helper the images unit's provider logs in with, so
 * that no registry token is kept in state (live-env tests check the states). Against the emulator, whose ECR issues
 * "<account>-auth-token", spoken through the credential-helper protocol as Docker's client library runs it.
 */
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { expect } from "chai";
import path from "node:path";
import { regionFor } from "../../scripts/src/registry/ecr-token.js";
import { projectEnv, run } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

const helper = path.join(repoRoot, "scripts", "bin", "docker-credential-fas-ecr");

describe("docker-credential-fas-ecr: registry logins from ECR, kept nowhere", function () {
  this.timeout(2 * 60_000);
  let emulator: Emulator;
  // From a folder where tsx does not resolve: the provider runs it from a unit's working directory.
  const call = (args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
    run(helper, args, { cwd: "/", input, env: projectEnv({ ...emulator.env, ...env }) });

  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator?.stop();
  });

  it("get: answers an ECR host with the emulated ECR's login for it", async () => {
    const result = await call(["get"], "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\n");
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal({
      ServerURL: "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com",
      Username: "AWS",
      Secret: "123456789012-auth-token",
    });
  });

  it("get: answers a local registry standing in for ECR with the login for FAS_ECR_REGION's registry", async () => {
    const result = await call(["get"], "127.0.0.1:5000", { FAS_ECR_REGION: "eu-west-1" });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.include({ Username: "AWS", Secret: "123456789012-auth-token" });
  });

  it("takes the region from an ECR host, else the fallback", () => {
    expect(regionFor("https://123456789012.dkr.ecr.ap-southeast-2.amazonaws.com", "us-east-1")).to.equal(
      "ap-southeast-2",
    );
    expect(regionFor("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/repo", undefined)).to.equal(
      "us-gov-west-1",
    );
    expect(regionFor("127.0.0.1:5000", "eu-west-1")).to.equal("eu-west-1");
    expect(regionFor("http://127.0.0.1:5000", undefined)).to.equal(undefined);
  });

  it("stores nothing: store and erase are refused, list is empty", async () => {
    for (const action of ["store", "erase"]) {
      const result = await call([action], '{"ServerURL":"127.0.0.1:5000","Username":"u","Secret":"s"}');
      expect(result.code, action).to.equal(1);
      expect(result.stdout).to.match(/not supported/);
    }
    const list = await call(["list"]);
    expect(list.code).to.equal(0);
    expect(JSON.parse(list.stdout)).to.deep.equal({});
  });

  it("says what to check when ECR cannot be reached, and on bad use", async () => {
    const down = await call(["get"], "127.0.0.1:5000", { AWS_ENDPOINT_URL: "http://127.0.0.1:9" });
    expect(down.code).to.equal(1);
    expect(down.stdout).to.match(
      /could not get an ECR login for 127\.0\.0\.1:5000: .*aws sts get-caller-identity/,
    );
    const empty = await call(["get"], "");
    expect(empty.code).to.equal(1);
    expect(empty.stdout).to.match(/no server URL on standard input/);
    const usage = await call(["nonsense"]);
    expect(usage.code).to.equal(1);
    expect(usage.stdout).to.match(/^usage: docker-credential-fas-ecr get\|list/);
  });
});
