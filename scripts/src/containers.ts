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
import type { App, DeployedEnvironment } from "./deployed.js";
import { run, sdkConfig, type Target } from "./ops.js";

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
  container: ContainerDefinition,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  if (!container.secrets?.length) return values;
  const client = new SecretsManagerClient(sdkConfig(target));
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
function forward(host: string, targetPort: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve(server));
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

export async function runTaskDefinitions(options: RunOptions): Promise<RunningContainers> {
  const { target, deployed, podmanEnv } = options;
  const env = deployed.env;
  const network = networkName(env);
  const servers: net.Server[] = [];
  const names: string[] = [];
  const scratch = await mkdtemp(path.join(os.tmpdir(), "fas-containers-"));

  const stop = async () => {
    // Reverse order: the frontend first, so nothing calls a stopped backend.
    for (const name of [...names].reverse()) {
      await run("podman", ["stop", name], { env: podmanEnv });
      await run("podman", ["rm", "-f", name], { env: podmanEnv });
    }
    await run("podman", ["network", "rm", "-f", network], { env: podmanEnv });
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(scratch, { recursive: true, force: true });
  };

  try {
    await removeLeftovers(env, podmanEnv);
    await podman(
      ["network", "create", "--label", `${LABEL}=${env}`, network],
      podmanEnv,
      "creating the network",
    );
    const gateway = await podman(
      ["network", "inspect", network, "--format", "{{range .Subnets}}{{.Gateway}}{{end}}"],
      podmanEnv,
      "reading the network's gateway",
    );

    const emulatorPort = Number(new URL(target.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:0").port);
    let openaiBaseUrl = options.openaiBaseUrl;
    const loopbackOpenAI =
      openaiBaseUrl && /^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(openaiBaseUrl);

    const startContainer = async (app: App, extraEnv: Record<string, string>, extraArgs: string[]) => {
      const service = deployed.services[app];
      const container = service.container;
      const name = `${network}-${app}`;
      await podman(["pull", "--quiet", service.image], podmanEnv, `pulling ${service.image}`);
      const variables: Record<string, string> = {
        ...Object.fromEntries((container.environment ?? []).map((v) => [v.name ?? "", v.value ?? ""])),
        ...(await resolveSecrets(target, container)),
        ...extraEnv,
      };
      // An env file (0600, removed right after) keeps secret values off podman's command line.
      const envFile = path.join(scratch, `${app}.env`);
      await writeFile(
        envFile,
        Object.entries(variables)
          .map(([key, value]) => `${key}=${value.replace(/\n/g, "\\n")}`)
          .join("\n"),
        { mode: 0o600 },
      );
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
        ...(container.user ? ["--user", container.user] : []),
        ...(container.readonlyRootFilesystem ? ["--read-only"] : []),
        // Task-local writable volumes (the task definition's mount points), discarded with the container.
        ...(container.mountPoints ?? []).flatMap((m) =>
          m.containerPath ? ["--tmpfs", m.containerPath] : [],
        ),
        ...(container.linuxParameters?.initProcessEnabled ? ["--init"] : []),
        ...(container.stopTimeout ? ["--stop-timeout", String(container.stopTimeout)] : []),
        ...healthArgs(container),
        ...extraArgs,
        service.image,
      ];
      names.push(name);
      await podman(args, podmanEnv, `starting ${app}`);
      await rm(envFile, { force: true });
    };

    // The frontend first: published on the host's loopback (the ALB's role); its BACKEND_URL comes from its
    // task definition and names the backend's Cloud Map DNS name. Starting it also brings up the network's
    // gateway address on the host, where the forwarders listen.
    await startContainer("frontend", {}, [
      "--publish",
      `127.0.0.1:${options.frontendPort}:${deployed.services.frontend.container.portMappings?.[0]?.containerPort ?? 3000}`,
    ]);
    await waitForAddress(gateway);
    const emulatorForward = await forward(gateway, emulatorPort);
    servers.push(emulatorForward);
    if (openaiBaseUrl && loopbackOpenAI) {
      const url = new URL(openaiBaseUrl);
      const openaiForward = await forward(
        gateway,
        Number(url.port || (url.protocol === "https:" ? 443 : 80)),
      );
      servers.push(openaiForward);
      url.hostname = gateway;
      url.port = String(portOf(openaiForward));
      openaiBaseUrl = url.toString().replace(/\/$/, "");
    }

    // The backend: private, found by its Cloud Map name. Its task role becomes the emulator's test
    // credentials; it reads its key from Secrets Manager itself.
    await startContainer(
      "backend",
      {
        AWS_ACCESS_KEY_ID: target.env.AWS_ACCESS_KEY_ID ?? "test",
        AWS_SECRET_ACCESS_KEY: target.env.AWS_SECRET_ACCESS_KEY ?? "test",
        AWS_REGION: target.env.AWS_REGION ?? "us-east-1",
        AWS_ENDPOINT_URL: `http://${gateway}:${portOf(emulatorForward)}`,
        ...(openaiBaseUrl ? { OPENAI_BASE_URL: openaiBaseUrl } : {}),
      },
      ["--network-alias", options.backendName],
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const status = async (): Promise<ContainerStatus[]> => {
    const rows: ContainerStatus[] = [];
    for (const app of ["backend", "frontend"] as const) {
      const name = `${network}-${app}`;
      // Podman runs health checks from systemd timers; without systemd, run the task definition's check here.
      const check = await run("podman", ["healthcheck", "run", name], { env: podmanEnv });
      const state = await run("podman", ["inspect", name, "--format", "{{.State.Status}}"], {
        env: podmanEnv,
      });
      rows.push({
        app,
        name,
        image: deployed.services[app].image,
        state: state.stdout.trim() || "missing",
        health: check.code === 0 ? "healthy" : check.stdout.trim() || check.stderr.trim() || "unhealthy",
        address:
          app === "frontend"
            ? `http://127.0.0.1:${options.frontendPort}`
            : `http://${options.backendName}:4000`,
      });
    }
    return rows;
  };

  return {
    network,
    frontendUrl: `http://127.0.0.1:${options.frontendPort}`,
    backendName: options.backendName,
    status,
    stop,
  };
}
