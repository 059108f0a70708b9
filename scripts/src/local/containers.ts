/**
 * Runs an environment's ECS task definitions, as stored in the emulator, as Podman containers: same image (by
 * digest), environment, secrets (resolved from Secrets Manager), user, read-only root filesystem with its
 * scratch volume, init process, stop timeout and health check. The backend answers at its Cloud Map DNS name
 * on a Podman network (network alias), so the frontend reaches it exactly as on Fargate. This proves the task
 * definitions themselves are runnable.
 *
 * The emulator and a local OpenAI-compatible server listen on the host's loopback; containers reach them
 * through small TCP forwarders on the network's gateway address (standing in for the VPC's NAT/endpoints).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import type { App, DeployedEnvironment } from "../lib/deployed.js";
import { run } from "@fargate-ai-stack/test-support";
import { sdkConfig, type Target } from "../lib/target.js";

export interface ContainerStatus {
  app: App;
  name: string;
  image: string;
  state: string;
  health: string;
  address: string;
}

export interface RunningContainers {
  network: string;
  frontendUrl: string;
  backendName: string;
  status(): Promise<ContainerStatus[]>;
  stop(): Promise<void>;
}

const LABEL = "io.github.fargate-ai-stack.env";

async function podman(args: string[], env: NodeJS.ProcessEnv, what: string): Promise<string> {
  const result = await run("podman", args, { env });
  if (result.code !== 0) throw new Error(`${what} failed (podman ${args[0]}): ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** Removes what an earlier run for this environment left (a crash, a killed terminal). */
export async function removeLeftovers(env: string, processEnv: NodeJS.ProcessEnv): Promise<void> {
  const ids = (
    await run("podman", ["ps", "-aq", "--filter", `label=${LABEL}=${env}`], { env: processEnv })
  ).stdout
    .split("\n")
    .filter(Boolean);
  if (ids.length > 0) await run("podman", ["rm", "-f", "-t", "5", ...ids], { env: processEnv });
  await run("podman", ["network", "rm", "-f", networkName(env)], { env: processEnv });
}

export function networkName(env: string): string {
  return `fargate-ai-stack-${env}`;
}

/** ECS healthCheck.command → podman --health-cmd (exec form as a JSON array, or a shell string). */
function healthArgs(container: ContainerDefinition): string[] {
  const check = container.healthCheck;
  if (!check?.command?.length) return [];
  const [kind, ...rest] = check.command;
  const command =
    kind === "CMD-SHELL" ? (rest[0] ?? "") : JSON.stringify(kind === "CMD" ? rest : check.command);
  return [
    "--health-cmd",
    command,
    "--health-interval",
    `${check.interval ?? 30}s`,
    "--health-timeout",
    `${check.timeout ?? 5}s`,
    "--health-retries",
    String(check.retries ?? 3),
    "--health-start-period",
    `${check.startPeriod ?? 0}s`,
  ];
}

/** Secrets of a container definition, read from Secrets Manager as ECS's execution role would. */
async function resolveSecrets(
  target: Target,
  env: string,
  container: ContainerDefinition,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  if (!container.secrets?.length) return values;
  const client = new SecretsManagerClient(sdkConfig(target, env));
  for (const secret of container.secrets) {
    if (!secret.name || !secret.valueFrom) continue;
    // valueFrom: "<secret arn>" or "<secret arn>:<json key>:<stage>:<version>".
    const match = /^(arn:[^:]+:secretsmanager:[^:]+:[^:]+:secret:[^:]+)(?::([^:]*):?([^:]*):?([^:]*))?$/.exec(
      secret.valueFrom,
    );
    const secretId = match?.[1] ?? secret.valueFrom;
    const output = await client.send(
      new GetSecretValueCommand({
        SecretId: secretId,
        ...(match?.[3] ? { VersionStage: match[3] } : {}),
        ...(match?.[4] ? { VersionId: match[4] } : {}),
      }),
    );
    const raw = output.SecretString ?? "";
    values[secret.name] = match?.[2] ? String((JSON.parse(raw) as Record<string, unknown>)[match[2]]) : raw;
  }
  return values;
}

/** Forwards host:port (the network's gateway) to 127.0.0.1:targetPort. */
function forward(host: string, targetPort: number, listenPort = 0): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, host, () => resolve(server));
  });
}

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

/** The gateway address appears on the host once the first container joined the network. */
async function waitForAddress(address: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (Object.values(os.networkInterfaces()).some((list) => list?.some((i) => i.address === address)))
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Podman network's gateway ${address} did not appear on this host`);
}

export interface RunOptions {
  target: Target;
  deployed: DeployedEnvironment;
  /** Cloud Map name of the backend, e.g. backend.dev.fargate-ai-stack.local. */
  backendName: string;
  /** Host port for the frontend (on 127.0.0.1). */
  frontendPort: number;
  /** Podman environment (CONTAINERS_REGISTRIES_CONF for the local registry, …). */
  podmanEnv: NodeJS.ProcessEnv;
  /** An OpenAI-compatible server for the backend (OPENAI_BASE_URL), when one is configured. */
  openaiBaseUrl?: string;
}

/** What one run of the task definitions has made, so that stop() removes exactly that. */
interface Run {
  options: RunOptions;
  env: string;
  network: string;
  servers: net.Server[];
  /** Containers started, in order. */
  names: string[];
  /** Env files live here only while a container starts. */
  scratch: string;
}

async function stopRun({ options, network, servers, names, scratch }: Run): Promise<void> {
  const env = options.podmanEnv;
  // Reverse order: the frontend first, so nothing calls a stopped backend.
  for (const name of [...names].reverse()) {
    await run("podman", ["stop", name], { env });
    await run("podman", ["rm", "-f", name], { env });
  }
  await run("podman", ["network", "rm", "-f", network], { env });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await rm(scratch, { recursive: true, force: true });
}

/** Creates the environment's network (after removing an earlier run's) and returns its gateway address. */
async function createNetwork({ options, env, network }: Run): Promise<string> {
  await removeLeftovers(env, options.podmanEnv);
  await podman(
    ["network", "create", "--label", `${LABEL}=${env}`, network],
    options.podmanEnv,
    "creating the network",
  );
  return podman(
    ["network", "inspect", network, "--format", "{{range .Subnets}}{{.Gateway}}{{end}}"],
    options.podmanEnv,
    "reading the network's gateway",
  );
}

/** The task definition's settings as `podman run` options. */
function taskDefinitionArgs(container: ContainerDefinition): string[] {
  return [
    ...(container.user ? ["--user", container.user] : []),
    ...(container.readonlyRootFilesystem ? ["--read-only"] : []),
    // Task-local writable volumes (the task definition's mount points), discarded with the container.
    ...(container.mountPoints ?? []).flatMap((m) => (m.containerPath ? ["--tmpfs", m.containerPath] : [])),
    ...(container.linuxParameters?.initProcessEnabled ? ["--init"] : []),
    ...(container.stopTimeout ? ["--stop-timeout", String(container.stopTimeout)] : []),
    ...healthArgs(container),
  ];
}

/** Writes the container's environment and secrets to an env file (0600, removed once the container runs). */
async function writeEnvFile(
  current: Run,
  app: App,
  container: ContainerDefinition,
  extraEnv: Record<string, string>,
): Promise<string> {
  const variables: Record<string, string> = {
    ...Object.fromEntries((container.environment ?? []).map((v) => [v.name ?? "", v.value ?? ""])),
    ...(await resolveSecrets(current.options.target, current.env, container)),
    ...extraEnv,
  };
  // An env file keeps secret values off podman's command line.
  const envFile = path.join(current.scratch, `${app}.env`);
  await writeFile(
    envFile,
    Object.entries(variables)
      .map(([key, value]) => `${key}=${value.replace(/\n/g, "\\n")}`)
      .join("\n"),
    { mode: 0o600 },
  );
  return envFile;
}

async function startContainer(
  current: Run,
  app: App,
  extraEnv: Record<string, string>,
  extraArgs: string[],
): Promise<void> {
  const { options, env, network } = current;
  const service = options.deployed.services[app];
  const name = `${network}-${app}`;
  await podman(["pull", "--quiet", service.image], options.podmanEnv, `pulling ${service.image}`);
  const envFile = await writeEnvFile(current, app, service.container, extraEnv);
  const args = [
    "run",
    "--detach",
    "--name",
    name,
    "--label",
    `${LABEL}=${env}`,
    "--network",
    network,
    "--env-file",
    envFile,
    ...taskDefinitionArgs(service.container),
    ...extraArgs,
    service.image,
  ];
  current.names.push(name);
  await podman(args, options.podmanEnv, `starting ${app}`);
  await rm(envFile, { force: true });
}

/**
 * OPENAI_BASE_URL as the backend container reaches it: a server on the host's loopback gets a forwarder on
 * the gateway; any other URL stays as it is.
 */
async function openaiUrlForContainers(current: Run, gateway: string): Promise<string | undefined> {
  const openaiBaseUrl = current.options.openaiBaseUrl;
  if (!openaiBaseUrl || !/^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(openaiBaseUrl)) {
    return openaiBaseUrl;
  }
  const url = new URL(openaiBaseUrl);
  const openaiForward = await forward(gateway, Number(url.port || (url.protocol === "https:" ? 443 : 80)));
  current.servers.push(openaiForward);
  url.hostname = gateway;
  url.port = String(portOf(openaiForward));
  return url.toString().replace(/\/$/, "");
}

async function startContainers(current: Run): Promise<void> {
  const { options } = current;
  const { target, deployed } = options;
  const gateway = await createNetwork(current);
  // The emulator, as both containers reach it: a forwarder on the gateway address at the emulator's own port
  // (known before the address exists, so the frontend's environment can name it).
  const emulatorPort = Number(new URL(target.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:0").port);
  const emulatorUrl = `http://${gateway}:${emulatorPort}`;
  // The environment's region, as on Fargate (where ECS sets AWS_REGION for the task).
  const region = sdkConfig(target, current.env).region;
  // The frontend first: published on the host's loopback (the ALB's role); its BACKEND_URL comes from its
  // task definition and names the backend's Cloud Map DNS name. Starting it also brings up the network's
  // gateway address on the host, where the forwarders listen. It calls Cognito (sign-in) without credentials:
  // those calls are unauthenticated, as on Fargate, where its task has no role.
  await startContainer(current, "frontend", { AWS_REGION: region, AWS_ENDPOINT_URL: emulatorUrl }, [
    "--publish",
    `127.0.0.1:${options.frontendPort}:${deployed.services.frontend.container.portMappings?.[0]?.containerPort ?? 3000}`,
  ]);
  await waitForAddress(gateway);
  current.servers.push(await forward(gateway, emulatorPort, emulatorPort));
  const openaiBaseUrl = await openaiUrlForContainers(current, gateway);

  // The backend: private, found by its Cloud Map name. Its task role becomes the emulator's test
  // credentials; it reads its key from Secrets Manager itself.
  await startContainer(
    current,
    "backend",
    {
      AWS_ACCESS_KEY_ID: target.env.AWS_ACCESS_KEY_ID ?? "test",
      AWS_SECRET_ACCESS_KEY: target.env.AWS_SECRET_ACCESS_KEY ?? "test",
      AWS_REGION: region,
      AWS_ENDPOINT_URL: emulatorUrl,
      ...(openaiBaseUrl ? { OPENAI_BASE_URL: openaiBaseUrl } : {}),
    },
    ["--network-alias", options.backendName],
  );
}

async function containerStatus({ options, network }: Run, app: App): Promise<ContainerStatus> {
  const name = `${network}-${app}`;
  const env = options.podmanEnv;
  // Podman runs health checks from systemd timers; without systemd, run the task definition's check here.
  const check = await run("podman", ["healthcheck", "run", name], { env });
  const state = await run("podman", ["inspect", name, "--format", "{{.State.Status}}"], { env });
  return {
    app,
    name,
    image: options.deployed.services[app].image,
    state: state.stdout.trim() || "missing",
    health: check.code === 0 ? "healthy" : check.stdout.trim() || check.stderr.trim() || "unhealthy",
    address:
      app === "frontend" ? `http://127.0.0.1:${options.frontendPort}` : `http://${options.backendName}:4000`,
  };
}

export async function runTaskDefinitions(options: RunOptions): Promise<RunningContainers> {
  const env = options.deployed.env;
  const current: Run = {
    options,
    env,
    network: networkName(env),
    servers: [],
    names: [],
    scratch: await mkdtemp(path.join(os.tmpdir(), "fas-containers-")),
  };
  try {
    await startContainers(current);
  } catch (error) {
    await stopRun(current);
    throw error;
  }
  return {
    network: current.network,
    frontendUrl: `http://127.0.0.1:${options.frontendPort}`,
    backendName: options.backendName,
    async status() {
      const rows: ContainerStatus[] = [];
      for (const app of ["backend", "frontend"] as const) rows.push(await containerStatus(current, app));
      return rows;
    },
    stop: () => stopRun(current),
  };
}
