/**
 * What an applied environment runs, read from AWS (or the emulator) rather than from configuration: each
 * service's image (by digest), its health, and its alarms. Shared by promote, rollback and npm start.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { UsageError } from "./command.js";
import { sdkConfig, type Target } from "./target.js";
import { unitOutputs, unitsOutputs } from "./terragrunt.js";

export const APPS = ["frontend", "backend"] as const;
export type App = (typeof APPS)[number];

export interface DeployedService {
  app: App;
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  container: ContainerDefinition;
  /** "<repository>@sha256:..." */
  image: string;
  /** "sha256:..." or undefined when the service runs a tag. */
  digest?: string;
  desiredCount: number;
  runningCount: number;
  status: string;
  deployments: { status: string; rolloutState?: string }[];
}

export interface DeployedEnvironment {
  env: string;
  services: Record<App, DeployedService>;
  alarmNames: string[];
  /** image tags by app from the images unit ("<repository>:<tag>"), when it still describes these digests. */
  imageTags: Partial<Record<App, string>>;
}

/** Reads the services of live/<env> through its units' outputs and the ECS API. */
export async function readDeployed(target: Target, env: string): Promise<DeployedEnvironment> {
  const cluster = await unitOutputs(target, env, "ecs-cluster");
  const clusterName = cluster.cluster_name;
  if (typeof clusterName !== "string") {
    throw new UsageError(
      `live/${env} has no applied ECS cluster: apply it first (\`npm start\` for dev on this machine, or \`terragrunt run --all apply\` in live/${env})`,
    );
  }
  const units = await unitsOutputs(target, env, ["monitoring", "images", ...APPS]);
  const ecs = new ECSClient(sdkConfig(target, env));
  const services = {} as Record<App, DeployedService>;
  for (const app of APPS) {
    const outputs = units[app];
    const serviceName = outputs.service_name;
    if (typeof serviceName !== "string") {
      throw new UsageError(`live/${env}/${app} is not applied: apply live/${env} first`);
    }
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: clusterName, services: [serviceName] }),
    );
    const service = described.services?.[0];
    if (!service?.taskDefinition)
      throw new UsageError(`service ${serviceName} was not found in cluster ${clusterName}`);
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }),
    );
    const container = taskDefinition?.containerDefinitions?.find((c) => c.name === app);
    if (!container?.image) {
      throw new Error(`task definition ${service.taskDefinition} has no container named ${app}`);
    }
    services[app] = {
      app,
      cluster: clusterName,
      service: serviceName,
      taskDefinitionArn: service.taskDefinition,
      container,
      image: container.image,
      digest: /@(sha256:[0-9a-f]{64})$/.exec(container.image)?.[1],
      desiredCount: service.desiredCount ?? 0,
      runningCount: service.runningCount ?? 0,
      status: service.status ?? "UNKNOWN",
      deployments: (service.deployments ?? []).map((d) => ({
        status: d.status ?? "",
        rolloutState: d.rolloutState,
      })),
    };
  }
  const alarmNames = Array.isArray(units.monitoring.alarm_names)
    ? (units.monitoring.alarm_names as string[])
    : [];
  const tags = (units.images.image_tags ?? {}) as Record<string, string>;
  const digests = (units.images.image_digests ?? {}) as Record<string, string>;
  const imageTags: Partial<Record<App, string>> = {};
  for (const app of APPS) {
    if (tags[app] && digests[app] === services[app].digest) imageTags[app] = tags[app];
  }
  return { env, services, alarmNames, imageTags };
}

/** Reasons the environment is not healthy (empty: healthy). */
export async function healthProblems(target: Target, deployed: DeployedEnvironment): Promise<string[]> {
  const problems: string[] = [];
  for (const service of Object.values(deployed.services)) {
    if (service.status !== "ACTIVE") problems.push(`service ${service.service} is ${service.status}`);
    if (service.desiredCount === 0) problems.push(`service ${service.service} wants no tasks`);
    if (service.runningCount < service.desiredCount) {
      problems.push(
        `service ${service.service} runs ${service.runningCount} of ${service.desiredCount} tasks`,
      );
    }
    const unfinished = service.deployments.filter(
      (d) => d.status !== "PRIMARY" || (d.rolloutState !== undefined && d.rolloutState !== "COMPLETED"),
    );
    if (unfinished.length > 0) {
      problems.push(
        `service ${service.service} has an unfinished deployment (${unfinished.map((d) => `${d.status} ${d.rolloutState ?? ""}`.trim()).join(", ")})`,
      );
    }
  }
  if (deployed.alarmNames.length > 0) {
    const cloudwatch = new CloudWatchClient(sdkConfig(target, deployed.env));
    const { MetricAlarms = [] } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: deployed.alarmNames }),
    );
    for (const alarm of MetricAlarms) {
      if (alarm.StateValue === "ALARM") problems.push(`alarm ${alarm.AlarmName} is in ALARM`);
    }
  }
  return problems;
}

/** Whether live/<env> has any Terraform state yet (the state bucket of the root terragrunt.hcl). */
export async function hasState(target: Target, env: string): Promise<boolean> {
  const config = sdkConfig(target, env);
  const { Account } = await new STSClient(config).send(new GetCallerIdentityCommand({}));
  const s3 = new S3Client({ ...config, forcePathStyle: target.kind === "emulator" });
  try {
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: `fargate-ai-stack-tfstate-${Account}-${config.region}`,
        Prefix: `live/${env}/`,
        MaxKeys: 1,
      }),
    );
    return (listed.KeyCount ?? 0) > 0;
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchBucket") return false;
    throw error;
  }
}
