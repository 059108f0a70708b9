/**
 * `npm run deploy -- --env dev`: the real-AWS counterpart of `npm start`. With your AWS credentials (profile,
 * SSO, or a CI role), it applies live/<env> with `terragrunt run --all apply` (the images unit builds the app
 * images and pushes them to ECR; ECS runs them), waits until the services are stable and prints the app URL.
 *
 * It shows the plan first and asks before applying; `--yes` applies without asking (CI).
 *
 * Usage: npm run deploy -- --env <env> [--yes]
 */
import { createInterface } from "node:readline/promises";
import { ECSClient, waitUntilServicesStable } from "@aws-sdk/client-ecs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import { APPS, readDeployed } from "../lib/deployed.js";
import { checkEnvironment, envRegion } from "../lib/environments.js";
import { step } from "../lib/log.js";
import { sdkConfig, type Target } from "../lib/target.js";
import { runAll, unitOutputs } from "../lib/terragrunt.js";

const USAGE = "Usage: npm run deploy -- --env <env> [--yes]";

async function deploy(): Promise<void> {
  const values = parseCommandLine(
    { env: { type: "string" }, yes: { type: "boolean", default: false } },
    {
      text: USAGE,
      help: `${USAGE}\nApplies live/<env> to your AWS account and waits until its services are stable.`,
      separator: ". ",
    },
  );
  const env = checkEnvironment(values.env, "--env");
  if (process.env.AWS_ENDPOINT_URL) {
    throw new UsageError(
      `AWS_ENDPOINT_URL is set (${process.env.AWS_ENDPOINT_URL}): deploy targets real AWS; on this machine use \`npm start\``,
    );
  }
  const region = envRegion(env);
  const target: Target = {
    kind: "aws",
    env: { ...process.env, AWS_REGION: region },
    description: `AWS (${region})`,
  };
  const identity = await new STSClient(sdkConfig(target, env))
    .send(new GetCallerIdentityCommand({}))
    .catch((error: unknown) => {
      throw new UsageError(
        `no usable AWS credentials (${(error as Error).message}): set AWS_PROFILE, run \`aws sso login\`, or export a role's credentials`,
      );
    });
  console.error(`Deploying live/${env} to account ${identity.Account} in ${region} as ${identity.Arn}`);

  if (!values.yes) {
    if (!process.stdin.isTTY)
      throw new UsageError("not a terminal: pass --yes to apply without a confirmation");
    await step(`Planning live/${env}`, () => runAll(target, env, "plan"));
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question(
      `Apply these changes to ${env} in account ${identity.Account}? [y/N] `,
    );
    prompt.close();
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError("not applied");
  }
  await step(`Applying live/${env}`, () => runAll(target, env, "apply"));

  const deployed = await readDeployed(target, env);
  const cluster = deployed.services.frontend.cluster;
  await step("Waiting until the services are stable", () =>
    waitUntilServicesStable(
      { client: new ECSClient(sdkConfig(target, env)), maxWaitTime: 15 * 60 },
      { cluster, services: APPS.map((app) => deployed.services[app].service) },
    ),
  );
  const alb = await unitOutputs(target, env, "alb");
  for (const app of APPS) console.log(`${env} ${app}: ${deployed.services[app].image}`);
  console.log(`Deployed live/${env}: ${String(alb.url)}`);
}

runCommand(deploy);
