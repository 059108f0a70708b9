/**
 * The CI roles (modules/ci-roles, live/<env>/_bootstrap/ci-roles) against the AWS emulator with its IAM enforcement
 * on: an administrator bootstraps the roles, `terragrunt run --all apply` of live/dev runs under the deploy role's
 * temporary credentials, `run --all plan` (as pull-request.yml runs it) under the plan role's, and the plan role is
 * refused the secret's value and a registry token.
 *
 * What moto 5.2.5 enforces (moto/iam/access_control.py, core/authorization.py) and what it does not:
 * - enforced: the caller's identity (signature, assumed-role session), the actions of its inline and attached
 *   policies, explicit Denies, role trust policies for sts:AssumeRole, and resources for S3 (bucket and key ARNs)
 *   and IAM role calls on existing roles;
 * - not enforced: resources of other services (moto authorises them against "*"; the launcher's iam_resources.py
 *   lets a resource-scoped Allow count there, so moto checks their actions only), conditions (moto evaluates only
 *   StringEquals, and only on request values: aws:RequestTag, aws:ResourceTag, iam:PermissionsBoundary,
 *   iam:PassedToService never reach it), permissions boundaries, and resource policies (KMS key policies, ECR
 *   repository policies).
 * The last test evaluates those from the policy documents read back from the emulator (test/support/iam-eval.ts).
 */
import { expect } from "chai";
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureBaseImage, startLocalServices, type LocalServices } from "../../scripts/src/local/services.js";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { projectEnv, run } from "../support/exec.js";
import { copyCheckout } from "../support/live-env.js";
import { evaluate, type PolicyDocument, type Request } from "../support/iam-eval.js";

const region = "us-east-1";
const account = "123456789012";
const name = "fargate-ai-stack-dev";
const boundaryArn = `arn:aws:iam::${account}:policy/${name}-ci-boundary`;
const stateBucket = `fargate-ai-stack-tfstate-${account}-${region}`;

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const credentialsEnv = (c: Credentials): NodeJS.ProcessEnv => ({
  AWS_ACCESS_KEY_ID: c.accessKeyId,
  AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
  AWS_SESSION_TOKEN: c.sessionToken ?? "",
});

/** The error name of a refused call, or "ok" when it was not refused. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "ok";
  } catch (error) {
    return (error as Error).name;
  }
}

const accessDenied = /^(AccessDenied|AccessDeniedException)$/;

describe("CI roles: the shipped pipeline under its roles, with the emulator's IAM enforcement on", function () {
  this.timeout(45 * 60_000);

  let emulator: Emulator;
  let services: LocalServices;
  let work: string;
  let checkout: string;
  let base: NodeJS.ProcessEnv;
  let admin: Credentials;
  let adminArn: string;
  let deploy: Credentials;
  let plan: Credentials;
  let roles: { deploy: string; plan: string };
  const client = <T>(Client: new (config: object) => T, credentials: Credentials): T =>
    new Client({ endpoint: emulator.url, region, credentials, forcePathStyle: true });
  const show = (result: { stdout: string; stderr: string }) => {
    const text = `${result.stdout}\n${result.stderr}`;
    const refused = [...new Set(text.match(/not authorized to perform: [^\s"\\]+/g) ?? [])];
    const errors = [...new Set(text.match(/(Error|error):.*$/gm) ?? [])].slice(0, 30);
    return `${refused.length ? `refused: ${refused.join(", ")}\n` : ""}${errors.join("\n")}\n${text.slice(-3000)}`;
  };
  const terragrunt = (args: string[], cwd: string, env: NodeJS.ProcessEnv) =>
    run("terragrunt", args, { cwd, env: { ...base, ...env }, timeoutMs: 30 * 60_000 });

  before(async function () {
    this.timeout(15 * 60_000);
    emulator = await startEmulator();
    work = await mkdtemp(path.join(os.tmpdir(), "fas-ci-roles-"));
    checkout = path.join(work, "checkout");
    const imageTag = await copyCheckout(checkout);
    // CI roles on for dev, as a repository owner sets them up.
    const envHcl = path.join(checkout, "live", "dev", "env.hcl");
    const hcl = await readFile(envHcl, "utf8");
    expect(hcl).to.match(/ci_github_repository\s*=\s*""/);
    await writeFile(
      envHcl,
      hcl.replace(/ci_github_repository\s*=\s*""/, 'ci_github_repository = "example-org/fargate-ai-stack"'),
    );

    // An administrator with keys (while enforcement is still off), then enforcement on for every request.
    const setup = client(IAMClient, { accessKeyId: "test", secretAccessKey: "test" });
    const user = await setup.send(new CreateUserCommand({ UserName: "ci-roles-admin" }));
    adminArn = user.User!.Arn!;
    await setup.send(
      new PutUserPolicyCommand({
        UserName: "ci-roles-admin",
        PolicyName: "administrator",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      }),
    );
    const key = (await setup.send(new CreateAccessKeyCommand({ UserName: "ci-roles-admin" }))).AccessKey!;
    admin = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const enforce = await fetch(`${emulator.url}/moto-api/reset-auth`, { method: "POST", body: "0" });
    expect(enforce.status, await enforce.text()).to.equal(200);

    base = projectEnv({ ...emulator.env, ...credentialsEnv(admin) });
    await ensureBaseImage(base);
    services = await startLocalServices(work, base);
    base = { ...base, ...services.env, FAS_IMAGE_SOURCE: "fixture", IMAGE_TAG: imageTag };
  });

  after(async function () {
    this.timeout(2 * 60_000);
    await services?.stop();
    await emulator?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("enforcement is on: the emulator's default keys, which no IAM user holds, are refused", async () => {
    const anonymous = client(IAMClient, { accessKeyId: "test", secretAccessKey: "test" });
    expect(await outcome(() => anonymous.send(new ListRolesCommand({})))).to.equal("InvalidClientTokenId");
  });

  it("an administrator bootstraps the roles (live/dev/_bootstrap/ci-roles, applied in its folder)", async () => {
    const unit = path.join(checkout, "live", "dev", "_bootstrap", "ci-roles");
    const testPrincipal = { FAS_CI_ROLES_TEST_PRINCIPAL: adminArn };
    const applied = await terragrunt(["apply", "-auto-approve", "-no-color"], unit, testPrincipal);
    expect(applied.code, show(applied)).to.equal(0);
    const output = await terragrunt(["output", "-json"], unit, testPrincipal);
    expect(output.code, show(output)).to.equal(0);
    const values = JSON.parse(output.stdout) as Record<string, { value: string | null }>;
    expect(Object.keys(values), output.stdout).to.include.members(["deploy_role_arn", "plan_role_arn"]);
    roles = { deploy: values.deploy_role_arn!.value!, plan: values.plan_role_arn!.value! };
    expect(roles).to.deep.equal({
      deploy: `arn:aws:iam::${account}:role/${name}-ci-deploy`,
      plan: `arn:aws:iam::${account}:role/${name}-ci-plan`,
    });
    expect(values.release_role_arn?.value ?? null, "dev has no release role").to.equal(null);
    const sts = client(STSClient, admin);
    const assume = async (arn: string): Promise<Credentials> => {
      const { Credentials: c } = await sts.send(
        new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "ci-roles-test" }),
      );
      return {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: c!.SessionToken!,
      };
    };
    deploy = await assume(roles.deploy);
    plan = await assume(roles.plan);
  });

  it("no `run --all` of live/dev includes the bootstrap unit", async () => {
    const found = await terragrunt(
      ["find", "--queue-construct-as", "apply"],
      path.join(checkout, "live", "dev"),
      credentialsEnv(deploy),
    );
    expect(found.code, show(found)).to.equal(0);
    const units = found.stdout
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    expect(units).to.include("vpc");
    expect(units.filter((u) => u.includes("_bootstrap"))).to.deep.equal([]);
  });

  it("`terragrunt run --all apply` of live/dev succeeds under the deploy role", async () => {
    const applied = await terragrunt(
      ["run", "--all", "--non-interactive", "apply", "--", "-auto-approve", "-no-color"],
      path.join(checkout, "live", "dev"),
      credentialsEnv(deploy),
    );
    expect(applied.code, show(applied)).to.equal(0);
  });

  it("every role the deploy role created carries the permissions boundary", async () => {
    const iam = client(IAMClient, admin);
    const created = ((await iam.send(new ListRolesCommand({}))).Roles ?? []).filter(
      (r) => r.RoleName!.startsWith(`${name}-`) && !r.RoleName!.startsWith(`${name}-ci-`),
    );
    expect(created.map((r) => r.RoleName).sort()).to.deep.equal(
      ["backend-execution", "backend-task", "flow-logs", "frontend-execution", "frontend-task"].map(
        (r) => `${name}-${r}`,
      ),
    );
    for (const role of created) {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: role.RoleName }));
      expect(Role?.PermissionsBoundary?.PermissionsBoundaryArn, role.RoleName).to.equal(boundaryArn);
    }
  });

  it("`terragrunt run --all plan` of live/dev, as pull-request.yml runs it, succeeds under the plan role", async () => {
    const planned = await terragrunt(
      ["run", "--all", "--non-interactive", "--filter", "!images", "--", "plan", "-lock=false", "-no-color"],
      path.join(checkout, "live", "dev"),
      // No bucket bootstrap on pull requests (pull-request.yml sets none): the plan role may not change the bucket.
      { ...credentialsEnv(plan), TG_BACKEND_BOOTSTRAP: "false" },
    );
    expect(planned.code, show(planned)).to.equal(0);
  });

  it("the plan role can neither read the secret's value nor get a registry token (the administrator can)", async () => {
    const secretId = `${name}/openai-api-key`;
    await client(SecretsManagerClient, admin).send(
      new PutSecretValueCommand({ SecretId: secretId, SecretString: "sk-ci-roles-test" }),
    );
    expect(
      await outcome(() =>
        client(SecretsManagerClient, admin).send(new GetSecretValueCommand({ SecretId: secretId })),
      ),
    ).to.equal("ok");
    expect(await outcome(() => client(ECRClient, admin).send(new GetAuthorizationTokenCommand({})))).to.equal(
      "ok",
    );

    expect(
      await outcome(() =>
        client(SecretsManagerClient, plan).send(new DescribeSecretCommand({ SecretId: secretId })),
      ),
    ).to.equal("ok");
    expect(
      await outcome(() =>
        client(SecretsManagerClient, plan).send(new GetSecretValueCommand({ SecretId: secretId })),
      ),
    ).to.match(accessDenied);
    expect(await outcome(() => client(ECRClient, plan).send(new GetAuthorizationTokenCommand({})))).to.match(
      accessDenied,
    );
    // Nor the session key's value (the auth unit's write-only secret), which the plan role's plans never refresh.
    expect(
      await outcome(() =>
        client(SecretsManagerClient, plan).send(
          new GetSecretValueCommand({ SecretId: `${name}/session-secret` }),
        ),
      ),
    ).to.match(accessDenied);
    // The deploy role may not read the OpenAI key's value either: it manages that secret's container only. It does
    // read the session key back (the AWS provider 5.x refreshes a secret version with GetSecretValue), allowed on
    // that secret's ARN alone, and moto counts a resource-scoped Allow for any resource: the evaluation below
    // checks the deploy role against the OpenAI key instead.
  });

  it("state writes: the plan role none, the deploy role only its environment's and never the bootstrap's; neither changes the CI roles", async () => {
    const put = (c: Credentials, key: string) => () =>
      client(S3Client, c).send(new PutObjectCommand({ Bucket: stateBucket, Key: key, Body: "{}" }));
    expect(await outcome(put(deploy, "live/dev/ci-roles-test/terraform.tfstate"))).to.equal("ok");
    expect(await outcome(put(plan, "live/dev/ci-roles-test/terraform.tfstate"))).to.match(accessDenied);
    expect(await outcome(put(deploy, "live/dev/_bootstrap/ci-roles/terraform.tfstate"))).to.match(
      accessDenied,
    );
    expect(await outcome(put(deploy, "live/prod/vpc/terraform.tfstate"))).to.match(accessDenied);
    const grant = () =>
      client(IAMClient, deploy).send(
        new PutRolePolicyCommand({
          RoleName: `${name}-ci-plan`,
          PolicyName: "more",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
          }),
        }),
      );
    expect(await outcome(grant)).to.match(accessDenied);
  });

  it("what moto does not enforce (resources of most services, conditions, the boundary), evaluated from the policies", async () => {
    const iam = client(IAMClient, admin);
    // The applied secret's ARN (AWS ends it in six random characters): the backend's task role is granted exactly it.
    const secretArn = (
      await client(SecretsManagerClient, admin).send(
        new DescribeSecretCommand({ SecretId: `${name}/openai-api-key` }),
      )
    ).ARN!;
    // The session key's secret (unit auth): the frontend's execution role injects it, the deploy role writes it.
    const sessionSecretArn = (
      await client(SecretsManagerClient, admin).send(
        new DescribeSecretCommand({ SecretId: `${name}/session-secret` }),
      )
    ).ARN!;
    const tableArn = `arn:aws:dynamodb:${region}:${account}:table/${name}-budgets`;
    const userPoolArn = `arn:aws:cognito-idp:${region}:${account}:userpool/${region}_AbC123`;
    const documentOf = async (arn: string): Promise<PolicyDocument> => {
      const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
      const { PolicyVersion } = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy!.DefaultVersionId }),
      );
      return JSON.parse(decodeURIComponent(PolicyVersion!.Document!)) as PolicyDocument;
    };
    const policiesOf = async (roleName: string) => {
      const identity: PolicyDocument[] = [];
      for (const policyName of (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName })))
        .PolicyNames ?? []) {
        const { PolicyDocument: document } = await iam.send(
          new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
        );
        identity.push(JSON.parse(decodeURIComponent(document!)) as PolicyDocument);
      }
      for (const attached of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })))
        .AttachedPolicies ?? [])
        identity.push(await documentOf(attached.PolicyArn!));
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      const boundary = Role?.PermissionsBoundary?.PermissionsBoundaryArn;
      expect(boundary, `${roleName} carries the boundary`).to.equal(boundaryArn);
      return { identity, boundary: await documentOf(boundary!) };
    };
    const cases: Record<string, { role: string; request: Request; expected: string }[]> = {};
    const ecs = `arn:aws:ecs:${region}:${account}`;
    const devTags = { "aws:RequestTag/app": "fargate-ai-stack", "aws:RequestTag/env": "dev" };
    const table: [string, Request, string][] = [
      // Roles: only the prefix, only with the boundary, never the CI roles, never without the boundary.
      [
        "deploy",
        {
          action: "iam:CreateRole",
          resource: `arn:aws:iam::${account}:role/${name}-worker-task`,
          context: { "iam:PermissionsBoundary": boundaryArn },
        },
        "allowed",
      ],
      [
        "deploy",
        { action: "iam:CreateRole", resource: `arn:aws:iam::${account}:role/${name}-worker-task` },
        "explicit deny",
      ],
      [
        "deploy",
        {
          action: "iam:CreateRole",
          resource: `arn:aws:iam::${account}:role/${name}-worker-task`,
          context: { "iam:PermissionsBoundary": `arn:aws:iam::${account}:policy/other` },
        },
        "explicit deny",
      ],
      [
        "deploy",
        {
          action: "iam:CreateRole",
          resource: `arn:aws:iam::${account}:role/other-app-task`,
          context: { "iam:PermissionsBoundary": boundaryArn },
        },
        "implicit deny",
      ],
      [
        "deploy",
        {
          action: "iam:PutRolePolicy",
          resource: `arn:aws:iam::${account}:role/${name}-ci-plan`,
          context: { "iam:PermissionsBoundary": boundaryArn },
        },
        "explicit deny",
      ],
      [
        "deploy",
        {
          action: "iam:DeleteRolePermissionsBoundary",
          resource: `arn:aws:iam::${account}:role/${name}-backend-task`,
        },
        "explicit deny",
      ],
      ["deploy", { action: "iam:CreatePolicyVersion", resource: boundaryArn }, "explicit deny"],
      [
        "deploy",
        {
          action: "iam:PassRole",
          resource: `arn:aws:iam::${account}:role/${name}-backend-task`,
          context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        },
        "allowed",
      ],
      [
        "deploy",
        {
          action: "iam:PassRole",
          resource: `arn:aws:iam::${account}:role/${name}-backend-task`,
          context: { "iam:PassedToService": "ec2.amazonaws.com" },
        },
        "implicit deny",
      ],
      // Tags: creates must tag as the environment, changes need its tags.
      [
        "deploy",
        { action: "ec2:CreateVpc", resource: `arn:aws:ec2:${region}:${account}:vpc/*`, context: devTags },
        "allowed",
      ],
      [
        "deploy",
        {
          action: "ec2:CreateVpc",
          resource: `arn:aws:ec2:${region}:${account}:vpc/*`,
          context: { ...devTags, "aws:RequestTag/env": "prod" },
        },
        "implicit deny",
      ],
      [
        "deploy",
        { action: "ec2:CreateVpc", resource: `arn:aws:ec2:${region}:${account}:vpc/*` },
        "implicit deny",
      ],
      [
        "deploy",
        {
          action: "ec2:DeleteVpc",
          resource: `arn:aws:ec2:${region}:${account}:vpc/vpc-1`,
          context: { "aws:ResourceTag/app": "fargate-ai-stack", "aws:ResourceTag/env": "prod" },
        },
        "implicit deny",
      ],
      [
        "deploy",
        {
          action: "ec2:DeleteVpc",
          resource: `arn:aws:ec2:${region}:${account}:vpc/vpc-1`,
          context: { "aws:ResourceTag/app": "fargate-ai-stack", "aws:ResourceTag/env": "dev" },
        },
        "allowed",
      ],
      [
        "deploy",
        {
          action: "ec2:CreateTags",
          resource: `arn:aws:ec2:${region}:${account}:vpc/vpc-1`,
          context: { "ec2:CreateAction": "CreateVpc" },
        },
        "allowed",
      ],
      [
        "deploy",
        { action: "ec2:CreateTags", resource: `arn:aws:ec2:${region}:${account}:vpc/vpc-foreign` },
        "implicit deny",
      ],
      [
        "deploy",
        {
          action: "elasticloadbalancing:DeleteLoadBalancer",
          resource: `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/other/1`,
          context: { "aws:ResourceTag/env": "prod", "aws:ResourceTag/app": "fargate-ai-stack" },
        },
        "implicit deny",
      ],
      [
        "deploy",
        {
          action: "kms:ScheduleKeyDeletion",
          resource: `arn:aws:kms:${region}:${account}:key/foreign`,
          context: {},
        },
        "implicit deny",
      ],
      // Name prefixes: this environment's services, secret and repositories, not another's.
      [
        "deploy",
        { action: "ecs:UpdateService", resource: `${ecs}:service/${name}/${name}-backend` },
        "allowed",
      ],
      [
        "deploy",
        {
          action: "ecs:UpdateService",
          resource: `${ecs}:service/fargate-ai-stack-prod/fargate-ai-stack-prod-backend`,
        },
        "implicit deny",
      ],
      [
        "deploy",
        {
          action: "secretsmanager:CreateSecret",
          resource: secretArn,
        },
        "allowed",
      ],
      [
        "deploy",
        {
          action: "secretsmanager:GetSecretValue",
          resource: secretArn,
        },
        "implicit deny",
      ],
      [
        "deploy",
        {
          action: "ecr:PutImage",
          resource: `arn:aws:ecr:${region}:${account}:repository/fargate-ai-stack-prod/backend`,
        },
        "implicit deny",
      ],
      [
        "deploy",
        { action: "iam:CreateUser", resource: `arn:aws:iam::${account}:user/${name}-x` },
        "explicit deny",
      ],
      // Sign-in and budgets: user pools by the environment's tags, the table by its name, the session key's value
      // (and never the OpenAI key's).
      ["deploy", { action: "cognito-idp:CreateUserPool", resource: "*", context: devTags }, "allowed"],
      ["deploy", { action: "cognito-idp:CreateUserPool", resource: "*" }, "implicit deny"],
      [
        "deploy",
        {
          action: "cognito-idp:DeleteUserPool",
          resource: userPoolArn,
          context: { "aws:ResourceTag/app": "fargate-ai-stack", "aws:ResourceTag/env": "dev" },
        },
        "allowed",
      ],
      [
        "deploy",
        {
          action: "cognito-idp:UpdateUserPoolClient",
          resource: userPoolArn,
          context: { "aws:ResourceTag/app": "fargate-ai-stack", "aws:ResourceTag/env": "prod" },
        },
        "implicit deny",
      ],
      ["deploy", { action: "dynamodb:CreateTable", resource: tableArn }, "allowed"],
      [
        "deploy",
        {
          action: "dynamodb:DeleteTable",
          resource: `arn:aws:dynamodb:${region}:${account}:table/fargate-ai-stack-prod-budgets`,
        },
        "implicit deny",
      ],
      ["deploy", { action: "dynamodb:GetItem", resource: tableArn }, "implicit deny"],
      ["deploy", { action: "secretsmanager:PutSecretValue", resource: sessionSecretArn }, "allowed"],
      ["deploy", { action: "secretsmanager:GetSecretValue", resource: sessionSecretArn }, "allowed"],
      ["deploy", { action: "secretsmanager:PutSecretValue", resource: secretArn }, "implicit deny"],
      // The plan role reads, and only reads.
      [
        "plan",
        {
          action: "secretsmanager:DescribeSecret",
          resource: secretArn,
        },
        "allowed",
      ],
      [
        "plan",
        {
          action: "secretsmanager:GetSecretValue",
          resource: secretArn,
        },
        "explicit deny",
      ],
      ["plan", { action: "ecr:GetAuthorizationToken", resource: "*" }, "explicit deny"],
      ["plan", { action: "secretsmanager:GetSecretValue", resource: sessionSecretArn }, "explicit deny"],
      ["plan", { action: "secretsmanager:GetRandomPassword", resource: "*" }, "allowed"],
      ["plan", { action: "dynamodb:DescribeTable", resource: tableArn }, "allowed"],
      ["plan", { action: "cognito-idp:DescribeUserPool", resource: userPoolArn }, "allowed"],
      ["plan", { action: "dynamodb:GetItem", resource: tableArn }, "implicit deny"],
      [
        "plan",
        {
          action: "ecr:BatchGetImage",
          resource: `arn:aws:ecr:${region}:${account}:repository/${name}/backend`,
        },
        "explicit deny",
      ],
      [
        "plan",
        { action: "s3:GetObject", resource: `arn:aws:s3:::${stateBucket}/live/dev/vpc/terraform.tfstate` },
        "allowed",
      ],
      [
        "plan",
        { action: "s3:PutObject", resource: `arn:aws:s3:::${stateBucket}/live/dev/vpc/terraform.tfstate` },
        "explicit deny",
      ],
      [
        "plan",
        { action: "ec2:CreateVpc", resource: `arn:aws:ec2:${region}:${account}:vpc/*`, context: devTags },
        "implicit deny",
      ],
      // The boundary does not take from the app what it needs: the backend's task role reads its secret.
      [
        "backend-task",
        {
          action: "secretsmanager:GetSecretValue",
          resource: secretArn,
        },
        "allowed",
      ],
      // Exactly the two item actions on the budgets table; nothing else of DynamoDB, nor the session key.
      ["backend-task", { action: "dynamodb:UpdateItem", resource: tableArn }, "allowed"],
      ["backend-task", { action: "dynamodb:GetItem", resource: tableArn }, "allowed"],
      ["backend-task", { action: "dynamodb:DeleteItem", resource: tableArn }, "implicit deny"],
      ["backend-task", { action: "dynamodb:Scan", resource: tableArn }, "implicit deny"],
      [
        "backend-task",
        { action: "secretsmanager:GetSecretValue", resource: sessionSecretArn },
        "implicit deny",
      ],
      // ECS injects SESSION_SECRET with the frontend's execution role: that secret, not the OpenAI key.
      [
        "frontend-execution",
        { action: "secretsmanager:GetSecretValue", resource: sessionSecretArn },
        "allowed",
      ],
      [
        "frontend-execution",
        { action: "secretsmanager:GetSecretValue", resource: secretArn },
        "implicit deny",
      ],
      [
        "backend-task",
        {
          action: "iam:CreateRole",
          resource: `arn:aws:iam::${account}:role/${name}-x`,
          context: { "iam:PermissionsBoundary": boundaryArn },
        },
        "implicit deny",
      ],
    ];
    for (const [role, request, expected] of table) (cases[role] ??= []).push({ role, request, expected });
    const wrong: string[] = [];
    for (const [role, list] of Object.entries(cases)) {
      const roleName = ["backend-task", "frontend-execution"].includes(role)
        ? `${name}-${role}`
        : `${name}-ci-${role}`;
      const { identity, boundary } = await policiesOf(roleName);
      for (const { request, expected } of list) {
        const decision = evaluate(identity, boundary, request);
        if (decision !== expected)
          wrong.push(
            `${role} ${request.action} on ${request.resource} ${JSON.stringify(request.context ?? {})}: ${decision}, expected ${expected}`,
          );
      }
    }
    expect(wrong, wrong.join("\n")).to.deep.equal([]);
  });
});
