import { expect } from "chai";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeFlowLogsCommand,
  DescribeNatGatewaysCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import path from "node:path";
import { startEmulator, type Emulator } from "../support/emulator.js";
import { projectEnv, run, runOk } from "../support/exec.js";
import { liveDir } from "../support/paths.js";

const devDir = path.join(liveDir, "dev");
const tagFilter = [
  { Name: "tag:app", Values: ["fargate-ai-stack"] },
  { Name: "tag:env", Values: ["dev"] },
];

describe("live/dev against the AWS emulator", function () {
  this.timeout(20 * 60_000);

  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  let ec2: EC2Client;

  const terragrunt = (args: string[]) => run("terragrunt", args, { cwd: devDir, env });

  before(async () => {
    emulator = await startEmulator();
    env = projectEnv(emulator.env);
    const clientConfig = {
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    };
    ec2 = new EC2Client(clientConfig);
  });

  after(async () => {
    await emulator?.stop();
  });

  it("`terragrunt run --all apply` succeeds from a clean emulator", async () => {
    const result = await terragrunt([
      "run",
      "--all",
      "--non-interactive",
      "apply",
      "--",
      "-auto-approve",
      "-no-color",
    ]);
    expect(result.code, `${result.stdout.slice(-6000)}\n${result.stderr.slice(-6000)}`).to.equal(0);
  });

  it("creates the VPC with subnets in two zones, a NAT gateway and encrypted flow logs", async () => {
    const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: tagFilter }))).Vpcs ?? [];
    expect(vpcs).to.have.length(1);
    const vpcId = vpcs[0]!.VpcId!;
    expect(vpcs[0]!.CidrBlock).to.equal("10.10.0.0/16");

    const subnets =
      (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] })))
        .Subnets ?? [];
    const tiers = (tier: string) =>
      subnets.filter((s) => s.Tags?.some((t) => t.Key === "Tier" && t.Value === tier));
    expect(tiers("public")).to.have.length(2);
    expect(tiers("private")).to.have.length(2);
    expect(new Set(tiers("private").map((s) => s.AvailabilityZone)).size).to.equal(2);
    expect(
      subnets.every((s) => s.MapPublicIpOnLaunch === false),
      "no subnet may hand out public IPs",
    ).to.equal(true);

    const nats =
      (await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "vpc-id", Values: [vpcId] }] })))
        .NatGateways ?? [];
    expect(nats.filter((n) => n.State !== "deleted")).to.have.length(1);

    const flowLogs =
      (await ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [vpcId] }] })))
        .FlowLogs ?? [];
    expect(flowLogs).to.have.length(1);
    const logs = new CloudWatchLogsClient({
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const groups =
      (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/vpc/fargate-ai-stack-dev" })))
        .logGroups ?? [];
    expect(groups).to.have.length(1);
    expect(groups[0]!.retentionInDays).to.equal(7);
    expect(groups[0]!.kmsKeyId, "flow logs must be encrypted with a customer-managed key").to.match(
      /^arn:aws:kms:/,
    );
    const kms = new KMSClient({
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const key = await kms.send(new DescribeKeyCommand({ KeyId: groups[0]!.kmsKeyId! }));
    expect(key.KeyMetadata?.KeyManager).to.equal("CUSTOMER");
  });

  it("a second `run --all plan` reports no changes", async () => {
    const result = await terragrunt([
      "run",
      "--all",
      "--non-interactive",
      "plan",
      "--",
      "-detailed-exitcode",
      "-no-color",
    ]);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(
      result.code,
      `expected no changes (exit 0), got exit ${result.code}:\n${output.slice(-6000)}`,
    ).to.equal(0);
    expect(output).to.match(/No changes\./);
  });

  it("`run --all destroy` leaves no resource behind", async () => {
    await runOk(
      "terragrunt",
      ["run", "--all", "--non-interactive", "destroy", "--", "-auto-approve", "-no-color"],
      { cwd: devDir, env },
    );
    const credentials = { accessKeyId: "test", secretAccessKey: "test" };
    expect((await ec2.send(new DescribeVpcsCommand({ Filters: tagFilter }))).Vpcs ?? []).to.deep.equal([]);
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: tagFilter }))).Subnets ?? [];
    expect(subnets).to.deep.equal([]);
    const nats = (await ec2.send(new DescribeNatGatewaysCommand({ Filter: tagFilter }))).NatGateways ?? [];
    expect(nats.filter((n) => n.State !== "deleted")).to.deep.equal([]);
    const logs = new CloudWatchLogsClient({ endpoint: emulator.url, region: "us-east-1", credentials });
    expect(
      (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/vpc/fargate-ai-stack" })))
        .logGroups ?? [],
    ).to.deep.equal([]);
    const iam = new IAMClient({ endpoint: emulator.url, region: "us-east-1", credentials });
    const roles = (await iam.send(new ListRolesCommand({}))).Roles ?? [];
    expect(roles.filter((r) => r.RoleName?.startsWith("fargate-ai-stack-dev"))).to.deep.equal([]);
  });
});
