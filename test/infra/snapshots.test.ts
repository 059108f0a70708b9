/**
 * Warm starts restore the emulator's snapshot of an applied environment (scripts/moto/snapshots.py,
 * scripts/src/local/snapshots.ts). Here: a snapshot carries every kind of state a restore must bring back into a
 * new emulator process, the endpoints refuse what they must, and the snapshot's name follows exactly the inputs
 * of the environment's apply. The whole warm start (no apply, healthy containers) is in system.test.ts.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { expect } from "chai";
import { appendFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { snapshotName, type SnapshotInputs } from "../../scripts/src/local/snapshots.js";
import { runOk } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const clients = (url: string) => ({
  kms: new KMSClient({ region: "us-east-1", endpoint: url, credentials }),
  s3: new S3Client({ region: "us-east-1", endpoint: url, credentials, forcePathStyle: true }),
  ecs: new ECSClient({ region: "us-east-1", endpoint: url, credentials }),
});

/** An Application Auto Scaling call (no SDK client in this workspace): tags live in the launcher, not moto. */
async function autoScaling(url: string, action: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AnyScaleFrontendService.${action}`,
      Authorization:
        "AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/application-autoscaling/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: JSON.stringify(body),
  });
  expect(response.status, `${action}: ${await response.clone().text()}`).to.equal(200);
  return (await response.json()) as Record<string, unknown>;
}

const snapshot = (url: string, action: string, name: string) =>
  fetch(`${url}/moto-api/snapshots/${action}?name=${encodeURIComponent(name)}`, { method: "POST" });

describe("emulator snapshots for warm starts", function () {
  this.timeout(5 * 60_000);

  describe("the emulator's snapshot endpoints", () => {
    let dir: string;
    const emulators: Emulator[] = [];
    const start = async (env: Record<string, string>) => {
      const emulator = await startEmulator({ env });
      emulators.push(emulator);
      return emulator;
    };

    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "fas-snapshots-"));
    });

    after(async () => {
      await Promise.all(emulators.map((emulator) => emulator.stop()));
      await rm(dir, { recursive: true, force: true });
    });

    it("brings every kind of state back in a new emulator: KMS key material, S3 objects, ECS, the launcher's tags", async () => {
      const first = await start({ FAS_EMULATOR_SNAPSHOTS: dir });
      const { kms, s3, ecs } = clients(first.url);
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "snapshot test" }));
      const { CiphertextBlob } = await kms.send(
        new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from("kept") }),
      );
      await s3.send(new CreateBucketCommand({ Bucket: "fas-snapshot-test" }));
      await s3.send(new PutObjectCommand({ Bucket: "fas-snapshot-test", Key: "a/state", Body: "{}\n" }));
      await ecs.send(new CreateClusterCommand({ clusterName: "fas-snapshot-test" }));
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "app",
          containerDefinitions: [
            { name: "app", image: `127.0.0.1:5000/app@sha256:${"0".repeat(64)}`, memory: 512 },
          ],
        }),
      );
      await ecs.send(
        new CreateServiceCommand({ cluster: "fas-snapshot-test", serviceName: "app", taskDefinition: "app" }),
      );
      const target = await autoScaling(first.url, "RegisterScalableTarget", {
        ServiceNamespace: "ecs",
        ResourceId: "service/fas-snapshot-test/app",
        ScalableDimension: "ecs:service:DesiredCount",
        MinCapacity: 1,
        MaxCapacity: 2,
        Tags: { Project: "fargate-ai-stack" },
      });

      const saved = await snapshot(first.url, "save", "test-1");
      expect(saved.status, await saved.clone().text()).to.equal(200);
      expect(await readdir(dir)).to.deep.equal(["test-1.pickle"]);
      await first.stop();

      const second = await start({ FAS_EMULATOR_SNAPSHOTS: dir });
      const restored = await snapshot(second.url, "restore", "test-1");
      expect(restored.status, await restored.clone().text()).to.equal(200);
      const after = clients(second.url);
      const { Plaintext } = await after.kms.send(new DecryptCommand({ CiphertextBlob }));
      expect(Buffer.from(Plaintext ?? []).toString()).to.equal("kept");
      const object = await after.s3.send(
        new GetObjectCommand({ Bucket: "fas-snapshot-test", Key: "a/state" }),
      );
      expect(await object.Body?.transformToString()).to.equal("{}\n");
      const { services = [] } = await after.ecs.send(
        new DescribeServicesCommand({ cluster: "fas-snapshot-test", services: ["app"] }),
      );
      expect(services.map((service) => service.taskDefinition)).to.deep.equal([
        "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
      ]);
      const tags = await autoScaling(second.url, "ListTagsForResource", {
        ResourceARN: target.ScalableTargetARN,
      });
      expect(tags.Tags).to.deep.equal({ Project: "fargate-ai-stack" });
    });

    it("refuses a name that is not a plain word and a snapshot that does not exist, saying why", async () => {
      const emulator = await start({ FAS_EMULATOR_SNAPSHOTS: dir });
      const traversal = await snapshot(emulator.url, "restore", "../../etc/x");
      expect(traversal.status).to.equal(400);
      expect(((await traversal.json()) as { error: string }).error).to.include("snapshot name must be");
      const missing = await snapshot(emulator.url, "restore", "no-such-snapshot");
      expect(missing.status).to.equal(400);
      expect(((await missing.json()) as { error: string }).error).to.include("no-such-snapshot.pickle");
      const get = await fetch(`${emulator.url}/moto-api/snapshots/save?name=x`);
      expect(get.status).to.equal(405);
    });

    it("serves no snapshot endpoint unless FAS_EMULATOR_SNAPSHOTS names a directory", async () => {
      const emulator = await start({ FAS_EMULATOR_SNAPSHOTS: "" });
      expect((await snapshot(emulator.url, "save", "x")).status).to.equal(404);
      expect((await snapshot(emulator.url, "restore", "test-1")).status).to.equal(404);
    });
  });

  describe("snapshot names (on a clone of this checkout)", () => {
    let clone: string;
    const inputs: SnapshotInputs = {
      env: "dev",
      imageTag: "src-0123456789ab",
      imageSource: "apps",
      registry: "127.0.0.1:5000",
    };
    const nameOf = (changes: Partial<SnapshotInputs> = {}) => snapshotName({ ...inputs, ...changes }, clone);
    const undo = () =>
      runOk("git", ["-C", clone, "checkout", "--", "."]).then(() =>
        runOk("git", ["-C", clone, "clean", "-fdq"]),
      );

    before(async () => {
      clone = await mkdtemp(path.join(os.tmpdir(), "fas-snapshot-names-"));
      await runOk("git", ["clone", "-q", "--local", repoRoot, clone]);
    });

    after(async () => {
      if (clone) await rm(clone, { recursive: true, force: true });
    });

    it("is the same for the same inputs and changes with each input of the environment's apply", async () => {
      const name = await nameOf();
      expect(name).to.match(/^dev-[0-9a-f]{16}$/);
      expect(await nameOf()).to.equal(name);
      expect(await nameOf({ env: "prod" })).to.match(/^prod-/);
      expect(await nameOf({ imageTag: "src-ba9876543210" })).to.not.equal(name);
      expect(await nameOf({ imageSource: "fixture" })).to.not.equal(name);
      expect(await nameOf({ registry: "127.0.0.1:5001" })).to.not.equal(name);
      for (const file of [
        "modules/vpc/main.tf",
        "live/_envcommon/backend.hcl",
        "live/dev/env.hcl",
        "terragrunt.hcl",
        "scripts/pins.env",
        "scripts/moto/launcher.py",
      ]) {
        await appendFile(path.join(clone, file), "\n# changed\n");
        expect(await nameOf(), `after a change to ${file}`).to.not.equal(name);
        await undo();
      }
      await writeFile(path.join(clone, "modules", "vpc", "new.tf"), "locals {}\n");
      expect(await nameOf(), "after a new, uncommitted file").to.not.equal(name);
      await undo();
      expect(await nameOf()).to.equal(name);
    });

    it("ignores READMEs, the other environment's folder and the apps' sources (the image tag covers those)", async () => {
      const name = await nameOf();
      await appendFile(path.join(clone, "modules", "vpc", "README.md"), "\nmore\n");
      await writeFile(path.join(clone, "live", "prod", "release.json"), '{"releases":[]}\n');
      await appendFile(path.join(clone, "backend", "src", "app.ts"), "\n// changed\n");
      expect(await nameOf()).to.equal(name);
      await undo();
    });
  });
});
