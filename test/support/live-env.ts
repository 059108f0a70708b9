/**
 * Every unit of one live/<env> against the AWS emulator (test/infra/live-dev.test.ts, live-prod.test.ts: one file
 * per environment, so the two can run in parallel lanes): `terragrunt run --all apply` from clean, the security
 * properties of what was applied (read back through the AWS SDK), a second plan without changes, and a destroy
 * that leaves nothing. The images unit builds its small offline fixture and pushes it to a local registry (the
 * emulator serves none).
 *
 * Terragrunt runs in a copy of the checkout, not in live/<env> itself: another test process may run Terragrunt
 * there at the same time (the system test's `npm start`, promote and rollback share its .terragrunt-cache
 * folders), and the system test's promote writes live/prod/release.json, which makes prod's images unit deploy
 * that release instead of building.
 */
import { expect } from "chai";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type IpPermission,
} from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  type Role,
} from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  GetResourcePolicyCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import {
  GetLoggingConfigurationCommand,
  GetWebACLForResourceCommand,
  WAFV2Client,
  type Rule,
} from "@aws-sdk/client-wafv2";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { useLocalHostedZone } from "../../scripts/src/local/hosted-zone.js";
import { ensureBaseImage, startLocalServices, type LocalServices } from "../../scripts/src/local/services.js";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { projectEnv, run, runOk } from "./exec.js";
import { podmanListingRace } from "./podman-race.js";
import { repoRoot } from "./paths.js";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Statements of every inline and attached policy of a role. */
async function roleStatements(iam: IAMClient, roleName: string): Promise<Statement[]> {
  const statements = [];
  const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  for (const policyName of inline) {
    const document =
      (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })))
        .PolicyDocument ?? "{}";
    const parsed = JSON.parse(decodeURIComponent(document)) as { Statement: unknown };
    statements.push(...(Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]));
  }
  const attached =
    (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
  expect(attached, `role ${roleName} must not use attached (managed) policies`).to.deep.equal([]);
  return statements as Statement[];
}

const asList = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * The checkout's files (tracked, and new ones git does not ignore: what a commit of the work tree would hold) under
 * dir, without any live/<env>/release.json (a promoted release; this test builds from source), with the checkout's
 * node_modules linked in. The copy shares the repository (a .git file), and so its HEAD, which moves with every
 * commit made in the checkout while a test runs: give the images unit the returned tag (IMAGE_TAG, HEAD at the
 * time of the copy) so that its tag, and so every later plan, stays what it was at the copy.
 */
export async function copyCheckout(dir: string): Promise<string> {
  const listed = await runOk("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
  });
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    const source = path.join(repoRoot, file);
    // Deleted but not yet committed: not in the work tree, so not in the copy.
    if (/^live\/[^/]+\/release\.json$/.test(file) || !existsSync(source)) continue;
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await copyFile(source, path.join(dir, file));
  }
  const gitDir = (await runOk("git", ["rev-parse", "--absolute-git-dir"], { cwd: repoRoot })).stdout.trim();
  await writeFile(path.join(dir, ".git"), `gitdir: ${gitDir}\n`);
  // The installed packages, as in the checkout: the images unit's registry credential helper runs on them.
  await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  return (await runOk("git", ["rev-parse", "--short=12", "HEAD"], { cwd: repoRoot })).stdout.trim();
}

export function describeLiveEnvironment(env: "dev" | "prod"): void {
  describe(`live/${env}: every unit against the AWS emulator`, function () {
    this.timeout(30 * 60_000);

    let envDir: string;
    const name = `fargate-ai-stack-${env}`;
    let emulator: Emulator;
    let services: LocalServices;
    let work: string;
    let env_: NodeJS.ProcessEnv;
    let clients: {
      cloudwatch: CloudWatchClient;
      dynamodb: DynamoDBClient;
      ec2: EC2Client;
      ecs: ECSClient;
      elb: ElasticLoadBalancingV2Client;
      iam: IAMClient;
      kms: KMSClient;
      logs: CloudWatchLogsClient;
      ecr: ECRClient;
      secrets: SecretsManagerClient;
      wafv2: WAFV2Client;
    };

    const terragrunt = (args: string[]) =>
      run("terragrunt", ["run", "--all", "--non-interactive", ...args], {
        cwd: envDir,
        env: env_,
        timeoutMs: 25 * 60_000,
      });
    const show = (result: { stdout: string; stderr: string }) =>
      `${result.stdout.slice(-8000)}\n${result.stderr.slice(-8000)}`;

    before(async function () {
      this.timeout(10 * 60_000);
      emulator = await startEmulator();
      work = await mkdtemp(path.join(os.tmpdir(), `fas-live-${env}-`));
      const imageTag = await copyCheckout(path.join(work, "checkout"));
      envDir = path.join(work, "checkout", "live", env);
      const base = projectEnv(emulator.env);
      await ensureBaseImage(base);
      services = await startLocalServices(work, base);
      env_ = {
        ...base,
        ...services.env,
        FAS_IMAGE_SOURCE: "fixture",
        IMAGE_TAG: imageTag,
        // Production's HTTPS: a domain in a hosted zone of the emulator, as `npm start` gives it.
        ...(await useLocalHostedZone(emulator.url)),
      };
      const config = { endpoint: emulator.url, region: "us-east-1", credentials };
      clients = {
        cloudwatch: new CloudWatchClient(config),
        dynamodb: new DynamoDBClient(config),
        ec2: new EC2Client(config),
        ecs: new ECSClient(config),
        elb: new ElasticLoadBalancingV2Client(config),
        iam: new IAMClient(config),
        kms: new KMSClient(config),
        logs: new CloudWatchLogsClient(config),
        ecr: new ECRClient(config),
        secrets: new SecretsManagerClient(config),
        wafv2: new WAFV2Client(config),
      };
    });

    after(async function () {
      this.timeout(2 * 60_000);
      await services?.stop();
      await emulator?.stop();
      if (work) await rm(work, { recursive: true, force: true });
      const images = await run(
        "podman",
        [
          "images",
          "--format",
          "{{.Repository}}:{{.Tag}}",
          "--filter",
          `reference=${services?.registry ?? "none"}/*`,
        ],
        { env: env_ },
      );
      for (const image of images.stdout.split("\n").filter(Boolean))
        await run("podman", ["rmi", "--force", image], { env: env_ });
    });

    it("`terragrunt run --all apply` succeeds from a clean emulator", async () => {
      // --summary-per-unit: each unit's time in the run summary, printed below (where an apply's minutes go).
      const apply = () => terragrunt(["--summary-per-unit", "apply", "--", "-auto-approve", "-no-color"]);
      let result = await apply();
      // The images unit lists images: see podmanListingRace. Applying again finishes what the first run left.
      if (result.code !== 0 && podmanListingRace(result.stderr + result.stdout)) result = await apply();
      expect(result.code, show(result)).to.equal(0);
      const summary = /Run Summary[\s\S]*?(?=\n\s*\n\s*\n|$)/.exec(result.stdout)?.[0];
      if (summary) console.log(`      ${summary.split("\n").join("\n      ")}`);
    });

    it("each service has its own alarms (the frontend's 5xx rate among them, which the backend's deployments name too); monitoring lists them all", async () => {
      // The emulator keeps no ECS deployment alarms, so which alarms roll which service back is checked by the
      // ecs-service module's tests; here: that the alarms the services name exist.
      const alarms =
        (await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${name}-` })))
          .MetricAlarms ?? [];
      expect(alarms.map((a) => a.AlarmName).sort()).to.deep.equal(
        [
          "backend-cpu-high",
          "backend-memory-high",
          // The monitoring unit's own, on the backend's usage metrics.
          "budget-rejections",
          "estimated-daily-spend",
          "frontend-5xx-rate",
          "frontend-cpu-high",
          "frontend-memory-high",
          "frontend-unhealthy-targets",
          "waf-blocked-requests",
        ].map((kind) => `${name}-${kind}`),
      );
      const cpu = alarms.find((a) => a.AlarmName === `${name}-backend-cpu-high`);
      expect(Object.fromEntries((cpu?.Dimensions ?? []).map((d) => [d.Name, d.Value]))).to.deep.equal({
        ClusterName: name,
        ServiceName: `${name}-backend`,
      });
      const monitoring = await run("terragrunt", ["output", "-json", "alarm_names"], {
        cwd: path.join(envDir, "monitoring"),
        env: env_,
      });
      expect(monitoring.code, show(monitoring)).to.equal(0);
      expect(
        (JSON.parse(monitoring.stdout) as string[]).sort(),
        "monitoring lists every alarm (promote checks them)",
      ).to.deep.equal(alarms.map((a) => a.AlarmName).sort());
    });

    it("puts the WAF in front of the load balancer: the named rules, logs in the encrypted aws-waf-logs group with credentials redacted", async () => {
      const { elb, kms, logs, wafv2 } = clients;
      const alb = (await elb.send(new DescribeLoadBalancersCommand({ Names: [`${name}-alb`] })))
        .LoadBalancers?.[0];
      expect(alb?.LoadBalancerArn, "the load balancer").to.be.a("string");
      const acl = (await wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: alb!.LoadBalancerArn })))
        .WebACL;
      expect(acl?.Name, "the web ACL associated with the load balancer").to.equal(name);
      expect(acl?.DefaultAction?.Allow, "requests no rule blocks are allowed").to.deep.equal({});
      const rules: Record<string, Rule> = Object.fromEntries((acl?.Rules ?? []).map((r) => [r.Name, r]));
      expect(Object.keys(rules).sort()).to.deep.equal([
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "body-too-large",
        "chat-rate-limit-per-ip",
      ]);
      for (const group of Object.keys(rules).filter((r) => r.startsWith("AWSManagedRules"))) {
        const statement = rules[group]!.Statement?.ManagedRuleGroupStatement;
        expect({ vendor: statement?.VendorName, name: statement?.Name }, group).to.deep.equal({
          vendor: "AWS",
          name: group,
        });
      }
      expect(
        rules.AWSManagedRulesCommonRuleSet!.Statement?.ManagedRuleGroupStatement?.RuleActionOverrides,
        "only the Common rule set's 8 KB body limit counts instead of blocking",
      ).to.deep.equal([{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }]);
      const rate = rules["chat-rate-limit-per-ip"]!.Statement?.RateBasedStatement;
      expect({
        limit: rate?.Limit,
        window: rate?.EvaluationWindowSec,
        key: rate?.AggregateKeyType,
      }).to.deep.equal({
        limit: 300,
        window: 300,
        key: "IP",
      });
      expect(rate?.ScopeDownStatement?.ByteMatchStatement?.FieldToMatch?.UriPath).to.deep.equal({});
      expect(Buffer.from(rate!.ScopeDownStatement!.ByteMatchStatement!.SearchString!).toString()).to.equal(
        "/api/chat",
      );
      expect(
        rules["body-too-large"]!.Statement?.RegexMatchStatement?.FieldToMatch?.SingleHeader?.Name,
      ).to.equal("content-length");
      for (const rule of Object.values(rules)) {
        expect(rule.VisibilityConfig?.CloudWatchMetricsEnabled, `${rule.Name} metrics`).to.equal(true);
      }

      const logging = (await wafv2.send(new GetLoggingConfigurationCommand({ ResourceArn: acl!.ARN })))
        .LoggingConfiguration;
      const groupArn = `arn:aws:logs:us-east-1:${acl!.ARN!.split(":")[4]}:log-group:aws-waf-logs-${name}`;
      expect(logging?.LogDestinationConfigs).to.deep.equal([groupArn]);
      expect(logging?.RedactedFields?.map((f) => f.SingleHeader?.Name).sort()).to.deep.equal([
        "authorization",
        "cookie",
      ]);
      const group = (
        await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `aws-waf-logs-${name}` }))
      ).logGroups?.[0];
      expect(group?.logGroupName).to.equal(`aws-waf-logs-${name}`);
      const key = await kms.send(new DescribeKeyCommand({ KeyId: group?.kmsKeyId }));
      expect(key.KeyMetadata?.KeyManager, "the WAF logs' key").to.equal("CUSTOMER");
    });

    it("runs the tasks in private subnets without public IPs, reachable only through the chain ALB → frontend → backend", async () => {
      const { ec2, ecs } = clients;
      const described = await ecs.send(
        new DescribeServicesCommand({ cluster: name, services: [`${name}-frontend`, `${name}-backend`] }),
      );
      expect(described.services?.map((s) => s.serviceName).sort()).to.deep.equal([
        `${name}-backend`,
        `${name}-frontend`,
      ]);
      const privateSubnets = new Set(
        (
          (
            await ec2.send(
              new DescribeSubnetsCommand({
                Filters: [
                  { Name: "tag:Tier", Values: ["private"] },
                  { Name: "tag:env", Values: [env] },
                ],
              }),
            )
          ).Subnets ?? []
        ).map((s) => s.SubnetId),
      );
      const groupOf: Record<string, string> = {};
      for (const service of described.services ?? []) {
        const network = service.networkConfiguration?.awsvpcConfiguration;
        expect(network?.assignPublicIp, `${service.serviceName} must not get a public IP`).to.equal(
          "DISABLED",
        );
        expect(
          network?.subnets?.every((id) => privateSubnets.has(id)),
          `${service.serviceName} must run in private subnets`,
        ).to.equal(true);
        expect(network?.securityGroups).to.have.length(1);
        groupOf[service.serviceName!.endsWith("frontend") ? "frontend" : "backend"] =
          network!.securityGroups![0]!;
      }
      const groups =
        (
          await ec2.send(
            new DescribeSecurityGroupsCommand({ GroupIds: [groupOf.frontend!, groupOf.backend!] }),
          )
        ).SecurityGroups ?? [];
      const ingress = (id: string) => groups.find((g) => g.GroupId === id)?.IpPermissions ?? [];
      const backendIngress = ingress(groupOf.backend!);
      expect(backendIngress, "backend ingress: exactly one rule").to.have.length(1);
      expect(backendIngress[0]).to.include({ FromPort: 4000, ToPort: 4000, IpProtocol: "tcp" });
      expect(backendIngress[0]!.IpRanges ?? []).to.deep.equal([]);
      expect(backendIngress[0]!.UserIdGroupPairs?.map((p) => p.GroupId)).to.deep.equal([groupOf.frontend]);
      const frontendIngress = ingress(groupOf.frontend!);
      expect(frontendIngress, "frontend ingress: exactly one rule").to.have.length(1);
      expect(frontendIngress[0]).to.include({ FromPort: 3000, ToPort: 3000, IpProtocol: "tcp" });
      expect(frontendIngress[0]!.IpRanges ?? []).to.deep.equal([]);
      const albGroup = frontendIngress[0]!.UserIdGroupPairs?.[0]?.GroupId;
      const alb = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [albGroup!] })))
        .SecurityGroups?.[0];
      expect(alb?.GroupName ?? "", "the frontend's only source must be the load balancer's group").to.match(
        /alb/,
      );
    });

    it(
      env === "prod"
        ? "serves HTTPS only (production): 443 forwards with the requested certificate, 80 only redirects"
        : "serves plain HTTP on 80 (dev allows it explicitly)",
      async () => {
        const balancers = await clients.elb.send(
          new DescribeLoadBalancersCommand({ Names: [`${name}-alb`] }),
        );
        const listeners =
          (
            await clients.elb.send(
              new DescribeListenersCommand({ LoadBalancerArn: balancers.LoadBalancers![0]!.LoadBalancerArn }),
            )
          ).Listeners ?? [];
        const alb = await run("terragrunt", ["output", "-json"], {
          cwd: path.join(envDir, "alb"),
          env: env_,
        });
        expect(alb.code, show(alb)).to.equal(0);
        const outputs = JSON.parse(alb.stdout) as Record<string, { value: unknown }>;
        if (env !== "prod") {
          expect(listeners.map((l) => [l.Port, l.Protocol, l.DefaultActions?.[0]?.Type])).to.deep.equal([
            [80, "HTTP", "forward"],
          ]);
          expect(outputs.url?.value).to.match(/^http:\/\//);
          return;
        }
        expect(listeners.map((l) => l.Port).sort()).to.deep.equal([443, 80]);
        const https = listeners.find((l) => l.Port === 443)!;
        expect(https.Protocol).to.equal("HTTPS");
        expect(https.SslPolicy).to.equal("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
        expect(https.DefaultActions?.map((a) => a.Type)).to.deep.equal(["forward"]);
        expect(https.Certificates?.map((c) => c.CertificateArn)).to.deep.equal([
          outputs.certificate_arn?.value,
        ]);
        const http = listeners.find((l) => l.Port === 80)!;
        expect(http.Protocol).to.equal("HTTP");
        expect(http.DefaultActions?.map((a) => [a.Type, a.RedirectConfig])).to.deep.equal([
          [
            "redirect",
            {
              Protocol: "HTTPS",
              Port: "443",
              Host: "#{host}",
              Path: "/#{path}",
              Query: "#{query}",
              StatusCode: "HTTP_301",
            },
          ],
        ]);
        expect(outputs.url?.value).to.equal("https://prod.fargate-ai-stack.test");
      },
    );

    it(
      env === "prod"
        ? "reaches AWS through VPC endpoints (private DNS, private subnets); the frontend has no internet egress, the backend only 443"
        : "has no VPC endpoints (vpc_endpoints off): both services keep 443 to anywhere, through the NAT gateway",
      async () => {
        const { ec2, ecs } = clients;
        const vpc = (
          await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:env", Values: [env] }] }))
        ).Vpcs?.[0];
        expect(vpc?.VpcId, `the ${env} VPC`).to.be.a("string");
        // The emulator keeps deleted endpoints, in state "deleted".
        const endpoints = (
          (
            await ec2.send(
              new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpc!.VpcId!] }] }),
            )
          ).VpcEndpoints ?? []
        ).filter((e) => e.State?.toLowerCase() !== "deleted");
        const described = await ecs.send(
          new DescribeServicesCommand({ cluster: name, services: [`${name}-frontend`, `${name}-backend`] }),
        );
        const groupIdOf = (service: string) =>
          described.services?.find((s) => s.serviceName === `${name}-${service}`)?.networkConfiguration
            ?.awsvpcConfiguration?.securityGroups?.[0];
        const egressOf = async (service: string): Promise<IpPermission[]> =>
          (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupIdOf(service)!] })))
            .SecurityGroups?.[0]?.IpPermissionsEgress ?? [];
        const toInternet = (permissions: IpPermission[]) =>
          permissions.filter(
            (p) =>
              (p.IpRanges ?? []).some((r) => r.CidrIp === "0.0.0.0/0") ||
              (p.Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === "::/0"),
          );

        if (env !== "prod") {
          expect(endpoints, "dev has vpc_endpoints off").to.deep.equal([]);
          for (const service of ["frontend", "backend"]) {
            const internet = toInternet(await egressOf(service));
            expect(internet, `${service}: one rule to anywhere`).to.have.length(1);
            expect(internet[0], `${service}: only HTTPS to anywhere`).to.include({
              IpProtocol: "tcp",
              FromPort: 443,
              ToPort: 443,
            });
          }
          return;
        }

        const privateSubnets = (
          (
            await ec2.send(
              new DescribeSubnetsCommand({
                Filters: [
                  { Name: "vpc-id", Values: [vpc!.VpcId!] },
                  { Name: "tag:Tier", Values: ["private"] },
                ],
              }),
            )
          ).Subnets ?? []
        )
          .map((s) => s.SubnetId!)
          .sort();
        expect(privateSubnets, "one private subnet per zone").to.have.length(3);
        const interfaces = endpoints.filter((e) => e.VpcEndpointType === "Interface");
        expect(interfaces.map((e) => e.ServiceName).sort()).to.deep.equal(
          ["cognito-idp", "ecr.api", "ecr.dkr", "kms", "logs", "secretsmanager", "sts"].map(
            (s) => `com.amazonaws.us-east-1.${s}`,
          ),
        );
        const endpointGroups = new Set(interfaces.flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId)));
        expect(endpointGroups.size, "the interface endpoints share one security group").to.equal(1);
        const endpointGroup = [...endpointGroups][0]!;
        for (const endpoint of interfaces) {
          expect(endpoint.PrivateDnsEnabled, `${endpoint.ServiceName}: private DNS`).to.equal(true);
          expect(
            [...(endpoint.SubnetIds ?? [])].sort(),
            `${endpoint.ServiceName}: in the private subnets`,
          ).to.deep.equal(privateSubnets);
        }
        const endpointIngress =
          (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [endpointGroup] })))
            .SecurityGroups?.[0]?.IpPermissions ?? [];
        expect(endpointIngress, "the endpoints' group: one ingress rule").to.have.length(1);
        expect(endpointIngress[0]).to.include({ IpProtocol: "tcp", FromPort: 443, ToPort: 443 });
        expect(endpointIngress[0]!.IpRanges?.map((r) => r.CidrIp)).to.deep.equal([vpc!.CidrBlock]);

        const gateway = endpoints.filter((e) => e.VpcEndpointType === "Gateway");
        expect(gateway.map((e) => e.ServiceName)).to.deep.equal(["com.amazonaws.us-east-1.s3"]);
        const privateRouteTables = (
          (
            await ec2.send(
              new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpc!.VpcId!] }] }),
            )
          ).RouteTables ?? []
        )
          .filter((t) => (t.Associations ?? []).some((a) => privateSubnets.includes(a.SubnetId ?? "")))
          .map((t) => t.RouteTableId!)
          .sort();
        expect(privateRouteTables).to.have.length(3);
        expect(
          [...(gateway[0]!.RouteTableIds ?? [])].sort(),
          "the S3 gateway on every private route table",
        ).to.deep.equal(privateRouteTables);
        const policy = JSON.parse(gateway[0]!.PolicyDocument ?? "{}") as { Statement: Statement[] };
        expect(policy.Statement.flatMap((st) => asList(st.Resource))).to.deep.equal([
          "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*",
        ]);
        const s3PrefixList = (
          await ec2.send(
            new DescribePrefixListsCommand({
              Filters: [{ Name: "prefix-list-name", Values: ["com.amazonaws.us-east-1.s3"] }],
            }),
          )
        ).PrefixLists?.[0]?.PrefixListId;
        expect(s3PrefixList, "the S3 prefix list").to.be.a("string");

        for (const service of ["frontend", "backend"]) {
          const egress = await egressOf(service);
          const https = egress.filter(
            (p) => p.IpProtocol === "tcp" && p.FromPort === 443 && p.ToPort === 443,
          );
          expect(
            https.flatMap((p) => (p.UserIdGroupPairs ?? []).map((g) => g.GroupId)),
            `${service}: 443 to the endpoints' group`,
          ).to.deep.equal([endpointGroup]);
          expect(
            https.flatMap((p) => (p.PrefixListIds ?? []).map((l) => l.PrefixListId)),
            `${service}: 443 to the S3 prefix list`,
          ).to.deep.equal([s3PrefixList]);
        }
        expect(
          toInternet(await egressOf("frontend")),
          "the frontend: no egress to 0.0.0.0/0 or ::/0",
        ).to.deep.equal([]);
        const backendInternet = toInternet(await egressOf("backend"));
        expect(backendInternet, "the backend: one rule to anywhere").to.have.length(1);
        expect(backendInternet[0], "the backend: only HTTPS to anywhere (OpenAI)").to.include({
          IpProtocol: "tcp",
          FromPort: 443,
          ToPort: 443,
        });
        expect(backendInternet[0]!.Ipv6Ranges ?? []).to.deep.equal([]);
      },
    );

    it("deploys images by digest; the backend gets the secret's ID and no key", async () => {
      const { ecs } = clients;
      const described = await ecs.send(
        new DescribeServicesCommand({ cluster: name, services: [`${name}-frontend`, `${name}-backend`] }),
      );
      for (const service of described.services ?? []) {
        const definition = (
          await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition! }))
        ).taskDefinition!;
        const container = definition.containerDefinitions![0]!;
        expect(container.image, `${service.serviceName} image`).to.match(/@sha256:[0-9a-f]{64}$/);
        expect(container.readonlyRootFilesystem).to.equal(true);
        expect(container.user).to.match(/^1000/);
        const environment = Object.fromEntries((container.environment ?? []).map((e) => [e.name, e.value]));
        expect(Object.keys(environment)).to.not.include("OPENAI_API_KEY");
        expect(environment.AUTH_USER_POOL_ID, "the auth unit's pool").to.match(/^us-east-1_\w+$/);
        expect(environment.AUTH_CLIENT_ID, "the auth unit's client").to.match(/^\w+$/);
        const secrets = Object.fromEntries((container.secrets ?? []).map((e) => [e.name, e.valueFrom]));
        if (service.serviceName!.endsWith("backend")) {
          expect(environment.OPENAI_SECRET_ID).to.match(/^arn:aws:secretsmanager:.*openai-api-key/);
          expect(environment).to.include({
            BUDGET_TABLE: `${name}-budgets`,
            BUDGET_USER_DAILY_TOKENS: env === "prod" ? "500000" : "200000",
            BUDGET_ENVIRONMENT_DAILY_TOKENS: env === "prod" ? "20000000" : "2000000",
            MAX_COMPLETION_TOKENS: "1024",
            ENVIRONMENT_NAME: env,
          });
          expect(secrets).to.deep.equal({});
        } else {
          expect(environment.BACKEND_URL).to.equal(`http://backend.${env}.fargate-ai-stack.local:4000`);
          // The session cookie key is injected by ECS, never in the plain environment.
          expect(Object.keys(environment)).to.not.include("SESSION_SECRET");
          expect(Object.keys(secrets)).to.deep.equal(["SESSION_SECRET"]);
          expect(secrets.SESSION_SECRET).to.match(/^arn:aws:secretsmanager:.*session-secret/);
        }
      }
    });

    it("grants no IAM `*` action; the backend task role reads one secret, the frontend's execution role the session key", async () => {
      const { iam } = clients;
      const roles: Role[] = ((await iam.send(new ListRolesCommand({}))).Roles ?? []).filter((r) =>
        r.RoleName?.startsWith(name),
      );
      expect(roles.length).to.be.greaterThan(2);
      const secretReaders: Record<string, string[]> = {};
      for (const role of roles) {
        for (const statement of await roleStatements(iam, role.RoleName!)) {
          for (const action of asList(statement.Action)) {
            expect(
              action === "*" || /^[a-z0-9-]+:\*$/.test(action),
              `${role.RoleName} grants ${action}`,
            ).to.equal(false);
            if (statement.Effect === "Allow" && action === "secretsmanager:GetSecretValue") {
              (secretReaders[role.RoleName!] ??= []).push(...asList(statement.Resource));
            }
          }
        }
      }
      expect(Object.keys(secretReaders).sort()).to.deep.equal([
        `${name}-backend-task`,
        `${name}-frontend-execution`,
      ]);
      const readable = secretReaders[`${name}-backend-task`]!;
      expect(readable).to.have.length(1);
      expect(readable[0]).to.match(/openai-api-key/);
      const injected = secretReaders[`${name}-frontend-execution`]!;
      expect(injected).to.have.length(1);
      expect(injected[0]).to.match(/session-secret/);
      // The key that encrypts it may be used only through Secrets Manager and only for that secret.
      const decrypt = (await roleStatements(iam, `${name}-backend-task`)).filter((s) =>
        asList(s.Action).includes("kms:Decrypt"),
      );
      expect(decrypt.map((s) => s.Condition)).to.deep.equal([
        {
          StringEquals: {
            "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com",
            "kms:EncryptionContext:SecretARN": readable[0],
          },
        },
        // The budgets table's key: only through DynamoDB, only for that table.
        {
          StringEquals: {
            "kms:ViaService": "dynamodb.us-east-1.amazonaws.com",
            "kms:EncryptionContext:aws:dynamodb:tableName": `${name}-budgets`,
          },
        },
      ]);
      // On DynamoDB the backend may do exactly GetItem and UpdateItem, on the budgets table.
      const dynamodb = (await roleStatements(iam, `${name}-backend-task`)).filter((s) =>
        asList(s.Action).some((a) => a.startsWith("dynamodb:")),
      );
      expect(dynamodb.map((s) => [asList(s.Action).sort(), asList(s.Resource)])).to.deep.equal([
        [
          ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          [`arn:aws:dynamodb:us-east-1:${(readable[0] ?? "").split(":")[4]}:table/${name}-budgets`],
        ],
      ]);
    });

    // The emulator stores a secret's resource policy but never evaluates it (moto checks identity policies only):
    // the policy is asserted as written, and that the one principal it spares is the applied backend task role.
    it("the OpenAI secret's resource policy denies its value to every principal but the backend task role", async () => {
      const secretArn = (
        await clients.secrets.send(new DescribeSecretCommand({ SecretId: `${name}/openai-api-key` }))
      ).ARN!;
      const policy = (await clients.secrets.send(new GetResourcePolicyCommand({ SecretId: secretArn })))
        .ResourcePolicy;
      expect(policy, "the secret has no resource policy").to.be.a("string");
      const backendTaskRole = (
        await clients.iam.send(new GetRoleCommand({ RoleName: `${name}-backend-task` }))
      ).Role!.Arn;
      expect((JSON.parse(policy!) as { Statement: Statement[] }).Statement).to.deep.equal([
        {
          Sid: "OnlyTheReadersGetTheValue",
          Effect: "Deny",
          Principal: "*",
          Action: "secretsmanager:GetSecretValue",
          Resource: "*",
          Condition: { ArnNotEquals: { "aws:PrincipalArn": backendTaskRole } },
        },
      ]);
    });

    it("the flow logs' role trusts only this account's flow logs in this region (confused-deputy guard)", async () => {
      const role = (await clients.iam.send(new GetRoleCommand({ RoleName: `${name}-flow-logs` }))).Role!;
      const trust = JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)) as {
        Statement: Statement[];
      };
      const account = role.Arn!.split(":")[4];
      expect(trust.Statement.map((s) => s.Condition)).to.deep.equal([
        {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: { "aws:SourceArn": `arn:aws:ec2:us-east-1:${account}:vpc-flow-log/*` },
        },
      ]);
    });

    it("encrypts every log group, repository and secret with a customer-managed key", async () => {
      const { kms, logs, ecr, secrets } = clients;
      const isCustomerKey = async (keyId: string | undefined, what: string) => {
        expect(keyId, `${what} has no KMS key`).to.be.a("string");
        const key = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
        expect(key.KeyMetadata?.KeyManager, `${what} must use a customer-managed key`).to.equal("CUSTOMER");
      };
      const groups =
        (await logs.send(new DescribeLogGroupsCommand({}))).logGroups?.filter((g) =>
          g.logGroupName?.includes(name),
        ) ?? [];
      expect(groups.length).to.be.greaterThan(2);
      for (const group of groups) await isCustomerKey(group.kmsKeyId, `log group ${group.logGroupName}`);
      const repositories =
        (await ecr.send(new DescribeRepositoriesCommand({}))).repositories?.filter((r) =>
          r.repositoryName?.startsWith(name),
        ) ?? [];
      expect(repositories.map((r) => r.repositoryName).sort()).to.deep.equal([
        `${name}-backend`,
        `${name}-frontend`,
      ]);
      for (const repository of repositories) {
        expect(repository.encryptionConfiguration?.encryptionType).to.equal("KMS");
        await isCustomerKey(
          repository.encryptionConfiguration?.kmsKey,
          `repository ${repository.repositoryName}`,
        );
        expect(repository.imageTagMutability).to.equal("IMMUTABLE");
      }
      const secretList =
        (await secrets.send(new ListSecretsCommand({}))).SecretList?.filter((s) =>
          s.Name?.startsWith(name),
        ) ?? [];
      expect(secretList.map((s) => s.Name).sort()).to.deep.equal([
        `${name}/openai-api-key`,
        `${name}/session-secret`,
      ]);
      for (const listed of secretList) {
        const secret = await secrets.send(new DescribeSecretCommand({ SecretId: listed.ARN }));
        await isCustomerKey(secret.KmsKeyId, `secret ${secret.Name}`);
      }
    });

    it("keeps no registry token or password in any unit's state", async () => {
      // The images unit logs in through a credential helper when its provider starts (modules/images); the
      // emulated ECR issues "<account>-auth-token", base64-encoded with its user in the token. None may be stored.
      const s3 = new S3Client({
        endpoint: emulator.url,
        region: "us-east-1",
        credentials,
        forcePathStyle: true,
      });
      const bucket = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).find((b) =>
        b.Name?.startsWith("fargate-ai-stack-tfstate-"),
      )?.Name;
      expect(bucket, "the state bucket").to.be.a("string");
      const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [])
        .map((object) => object.Key!)
        .filter((key) => key.endsWith(".tfstate"));
      expect(
        keys.some((key) => key.includes("/images/")),
        `the images unit's state among ${keys.join(", ")}`,
      ).to.equal(true);
      const registryId = (await clients.ecr.send(new DescribeRepositoriesCommand({}))).repositories?.[0]
        ?.registryId;
      const password = `${registryId}-auth-token`;
      const token = Buffer.from(`AWS:${password}`).toString("base64");
      // The session cookie key, written write-only from an ephemeral random password (unit auth).
      const sessionKey = (
        await clients.secrets.send(new GetSecretValueCommand({ SecretId: `${name}/session-secret` }))
      ).SecretString!;
      expect(sessionKey, "the session key").to.have.length(64);
      for (const key of keys) {
        const state = await (
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        ).Body!.transformToString();
        expect(state, key).to.not.include(password).and.not.include(token);
        expect(state.includes(sessionKey), `${key} holds the session key`).to.equal(false);
        // No attribute named like a credential holds a value (the old data source kept password and token).
        expect(state, key).to.not.match(/"(password|authorization_token|auth_token)":\s*"[^"]/);
      }
    });

    it("a second `run --all plan` reports no changes in any unit", async () => {
      let result = await terragrunt(["plan", "--", "-detailed-exitcode", "-no-color"]);
      // The images unit's refresh lists images: see podmanListingRace. A real difference still fails the test.
      if (result.code === 1 && podmanListingRace(result.stderr + result.stdout)) {
        result = await terragrunt(["plan", "--", "-detailed-exitcode", "-no-color"]);
      }
      // The plans' own lines (what would change, in which unit), not the refresh noise around them.
      const changes = `${result.stdout}\n${result.stderr}`
        .split("\n")
        .filter((line) => /tofu: +(#|[~+-]|-\/\+) |Plan: |Error|will be|must be/.test(line))
        .slice(0, 300)
        .join("\n");
      expect(
        result.code,
        `expected no changes (exit 0), got exit ${result.code}:\n${changes}\n${show(result)}`,
      ).to.equal(0);
      expect(`${result.stdout}${result.stderr}`).to.not.match(/Plan: \d+ to add/);
    });

    it("`run --all destroy` leaves no resource behind", async () => {
      const { dynamodb, ec2, ecs, iam, logs, ecr } = clients;
      const table = `${name}-budgets`;
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
      expect(Table?.DeletionProtectionEnabled, "the budgets table's deletion protection").to.equal(
        env === "prod",
      );
      // Destroying prod takes what it takes on AWS: its protected table (the emulator enforces that protection,
      // not the load balancer's or the user pool's) has its protection turned off first, on purpose.
      if (env === "prod") {
        await dynamodb.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }));
      }
      const result = await terragrunt(["destroy", "--", "-auto-approve", "-no-color"]);
      expect(result.code, show(result)).to.equal(0);
      expect(
        ((await dynamodb.send(new ListTablesCommand({}))).TableNames ?? []).filter((t) => t === table),
      ).to.deep.equal([]);
      expect(
        (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:env", Values: [env] }] }))).Vpcs ??
          [],
      ).to.deep.equal([]);
      const remainingServices =
        (
          await ecs
            .send(
              new DescribeServicesCommand({
                cluster: name,
                services: [`${name}-frontend`, `${name}-backend`],
              }),
            )
            .catch(() => ({ services: [] }))
        ).services ?? [];
      expect(remainingServices.filter((s) => s.status === "ACTIVE")).to.deep.equal([]);
      expect(
        ((await iam.send(new ListRolesCommand({}))).Roles ?? []).filter((r) => r.RoleName?.startsWith(name)),
      ).to.deep.equal([]);
      expect(
        ((await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).filter((g) =>
          g.logGroupName?.includes(name),
        ),
      ).to.deep.equal([]);
      expect(
        ((await ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? []).filter((r) =>
          r.repositoryName?.startsWith(name),
        ),
      ).to.deep.equal([]);
    });
  });
}
