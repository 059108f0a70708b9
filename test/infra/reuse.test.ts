/**
 * Proof that the modules are reusable as they are: a root module written here composes a third kind of
 * service, a queue worker with no load balancer and no service discovery, from modules/vpc, ecs-cluster, ecr
 * and ecs-service (no module is edited), applies it against the AWS emulator, checks what was created through
 * the AWS SDK, and destroys it.
 */
import { expect } from "chai";
import { DescribeLogGroupsCommand, CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import {
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { projectEnv, run, runOk } from "../support/exec.js";
import { modulesDir } from "../support/paths.js";

const name = "fas-reuse";
const queueArn = `arn:aws:sqs:us-east-1:123456789012:${name}-jobs`;

/** The composition a user would write: only module calls, no resource of its own. */
const rootModule = (modules: string) => `
provider "aws" {
  region = "us-east-1"
}

module "vpc" {
  source               = "${modules}/vpc"
  name                 = "${name}"
  cidr_block           = "10.30.0.0/16"
  az_count             = 2
  nat_gateway_strategy = "single"
}

module "cluster" {
  source         = "${modules}/ecs-cluster"
  name           = "${name}"
  vpc_id         = module.vpc.vpc_id
  namespace_name = "reuse.fargate-ai-stack.local"
}

module "ecr" {
  source       = "${modules}/ecr"
  name         = "${name}"
  repositories = ["worker"]
  force_delete = true
}

module "worker" {
  source          = "${modules}/ecs-service"
  name            = "${name}"
  service         = "worker"
  image           = "\${module.ecr.repository_urls.worker}@sha256:${"0".repeat(64)}"
  repository_arns = [module.ecr.repository_arns.worker]
  container_port  = 8080
  cluster_arn     = module.cluster.cluster_arn
  cluster_name    = module.cluster.cluster_name
  vpc_id          = module.vpc.vpc_id
  vpc_cidr_block  = module.vpc.vpc_cidr_block
  subnet_ids      = module.vpc.private_subnet_ids

  task_role_description = "works off the jobs queue"
  task_role_statements = [{
    sid       = "WorkOffTheJobsQueue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = ["${queueArn}"]
  }]
}
`;

describe("modules compose a third service (a worker) without edits", function () {
  this.timeout(15 * 60_000);

  let emulator: Emulator;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const tofu = (args: string[]) => runOk("tofu", [...args, "-no-color"], { cwd: work, env });
  const aws = () => ({
    endpoint: emulator.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });

  before(async () => {
    emulator = await startEmulator();
    work = await mkdtemp(path.join(os.tmpdir(), "fas-reuse-"));
    env = projectEnv(emulator.env);
    // A copy of modules/ beside the composition: local module sources must be relative, and the modules call
    // each other (../kms-key).
    await cp(modulesDir, path.join(work, "modules"), {
      recursive: true,
      filter: (src) => !src.includes(".terraform"),
    });
    await writeFile(path.join(work, "main.tf"), rootModule("./modules"));
    await tofu(["init", "-input=false"]);
  });

  after(async () => {
    await emulator?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("applies against the emulator", async () => {
    await tofu(["apply", "-auto-approve", "-input=false"]);
  });

  it("runs the worker with no load balancer, no discovery and no way in", async () => {
    const config = aws();
    const ecs = new ECSClient(config);
    const [service] =
      (await ecs.send(new DescribeServicesCommand({ cluster: name, services: [`${name}-worker`] })))
        .services ?? [];
    expect(service?.status).to.equal("ACTIVE");
    expect(service?.loadBalancers ?? []).to.deep.equal([]);
    expect(service?.serviceRegistries ?? []).to.deep.equal([]);
    expect(service?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).to.equal("DISABLED");
    const groups = service?.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
    const [group] =
      (await new EC2Client(config).send(new DescribeSecurityGroupsCommand({ GroupIds: groups })))
        .SecurityGroups ?? [];
    expect(group?.IpPermissions ?? [], "nothing may connect to a worker").to.deep.equal([]);

    const definition = (
      await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service!.taskDefinition! }))
    ).taskDefinition!;
    expect(definition.taskRoleArn).to.match(new RegExp(`:role/${name}-worker-task$`));
    expect(definition.executionRoleArn).to.match(new RegExp(`:role/${name}-worker-execution$`));

    const [logGroup] =
      (
        await new CloudWatchLogsClient(config).send(
          new DescribeLogGroupsCommand({ logGroupNamePrefix: `/ecs/${name}/worker` }),
        )
      ).logGroups ?? [];
    const key = await new KMSClient(config).send(new DescribeKeyCommand({ KeyId: logGroup!.kmsKeyId }));
    expect(key.KeyMetadata?.KeyManager, "the worker's logs use its own customer-managed key").to.equal(
      "CUSTOMER",
    );
  });

  it("gives the worker's roles exactly what the composition asked for", async () => {
    const iam = new IAMClient(aws());
    const statements = async (role: string) => {
      const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames ?? [];
      const documents = await Promise.all(
        names.map(async (policy) => {
          const document = (await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: policy })))
            .PolicyDocument;
          return JSON.parse(decodeURIComponent(document ?? "{}")) as {
            Statement: Array<Record<string, unknown>>;
          };
        }),
      );
      return documents.flatMap((document) => document.Statement);
    };
    const task = await statements(`${name}-worker-task`);
    expect(task.map((s) => [s.Sid, s.Resource])).to.deep.equal([["WorkOffTheJobsQueue", queueArn]]);
    const execution = await statements(`${name}-worker-execution`);
    const pull = execution.find((s) => s.Sid === "PullTheImage");
    expect(pull?.Resource).to.equal(`arn:aws:ecr:us-east-1:123456789012:repository/${name}-worker`);
    expect(JSON.stringify(execution)).to.not.include("secretsmanager");
  });

  it("destroys without leaving a role behind", async () => {
    await tofu(["destroy", "-auto-approve", "-input=false"]);
    const iam = new IAMClient(aws());
    const roles = ((await iam.send(new ListRolesCommand({}))).Roles ?? []).filter((r) =>
      r.RoleName?.startsWith(name),
    );
    expect(roles).to.deep.equal([]);
    // The state of this composition is local to the temporary folder: nothing else to clean.
    expect((await run("tofu", ["state", "list"], { cwd: work, env })).stdout.trim()).to.equal("");
  });
});
