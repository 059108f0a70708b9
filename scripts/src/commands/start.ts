/**
 * `npm start`: the whole system on this machine, without an AWS account.
 *
 * 1. starts the AWS API emulator (moto), a local container registry and Podman's Docker-compatible API;
 * 2. builds the app images for this machine's architecture (scripts/images.sh);
 * 3. applies live/<env> against the emulator with `terragrunt run --all apply` (the images unit pushes to the
 *    local registry; the services are registered with their task definitions), then saves the emulator's state;
 *    a later start with the same inputs restores that snapshot instead (scripts/src/local/snapshots.ts), unless
 *    given --fresh;
 * 4. runs the containers as the task definitions stored in the emulator describe them, the backend answering
 *    at its Cloud Map DNS name on a Podman network (scripts/src/local/containers.ts);
 * 5. makes sure the emulator's user pool has a local user (scripts/src/local/local-user.ts) and prints how to
 *    sign in with it;
 * 6. prints the app URL, the backend's DNS name and a status table, then runs until Ctrl-C, which removes the
 *    containers and the network and stops the registry, Podman's API and the emulator.
 *
 * While it runs, `npm run promote`, `npm run rollback`, `npm run secret:set` and `npm run user:*` in another terminal use its
 * emulator (see scripts/src/lib/target.ts, resolveTarget).
 *
 * Usage: npm start [-- --env dev|prod] [--port 3000] [--fresh]
 * Environment: OPENAI_BASE_URL (an OpenAI-compatible server for the backend), FAS_IMAGE_SOURCE=fixture (skip the
 * app builds: small placeholder images; no containers are run then).
 */
import path from "node:path";
import { parseCommandLine, reportError, runCommand, UsageError } from "../lib/command.js";
import { readDeployed, type DeployedEnvironment } from "../lib/deployed.js";
import { checkEnvironment, envDir, envRegion, repoRoot } from "../lib/environments.js";
import { elapsed, log as progress, step, toStdout } from "../lib/log.js";
import { portIsFree, run, type RunOptions } from "@fargate-ai-stack/test-support";
import { removeSession, writeSession } from "../lib/session.js";
import type { Target } from "../lib/target.js";
import { unitsOutputs } from "../lib/terragrunt.js";
import { formatTable } from "../lib/table.js";
import {
  removeLeftovers,
  runTaskDefinitions,
  type ContainerStatus,
  type RunningContainers,
} from "../local/containers.js";
import { startProjectEmulator, stopProjectEmulator } from "../local/emulator.js";
import { localHostedZone, useLocalHostedZone } from "../local/hosted-zone.js";
import { startProjectServices, type LocalServices } from "../local/services.js";
import { ensureLocalUser } from "../local/local-user.js";
import {
  imagesInRegistry,
  resetEmulator,
  restoreSnapshot,
  saveSnapshot,
  snapshotDir,
  snapshotName,
} from "../local/snapshots.js";

const USAGE = "Usage: npm start [-- --env dev|prod] [--port 3000] [--fresh]";
const arch = process.arch === "arm64" ? "arm64" : "amd64";

/** npm start's progress is its output: on stdout, "NAME: done in". */
const log = (message: string) => progress(message, toStdout);
const timed = <T>(name: string, action: () => Promise<T>) => step(name, action, toStdout);

function parseStartCommandLine(): { env: string; port: number; fresh: boolean } {
  const values = parseCommandLine(
    {
      env: { type: "string", default: "dev" },
      port: { type: "string", default: "3000" },
      fresh: { type: "boolean", default: false },
    },
    {
      text: USAGE,
      help: `${USAGE}\nRuns the whole system on this machine against the AWS emulator and keeps running until Ctrl-C.\n--fresh applies the environment even when a snapshot of the same inputs could be restored.`,
      separator: ". ",
    },
  );
  const env = checkEnvironment(values.env, "--env");
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? "") || port < 1024 || port > 65535) {
    throw new UsageError(`--port must be a number from 1024 to 65535 (got '${values.port}')`);
  }
  return { env, port, fresh: values.fresh === true };
}

/** Runs a command on this terminal; fails when it fails. */
async function inherit(command: string, args: string[], options: RunOptions) {
  const { code } = await run(command, args, { ...options, output: "inherit" });
  if (code !== 0) throw new Error(`${command} ${args.slice(0, 3).join(" ")} failed (exit ${code})`);
}

async function runChecked(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = await run(command, args, { env });
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr.trim()}`);
  return result;
}

/** What this `npm start` has started; teardown() stops all of it, once, however it ends. */
class LocalRun {
  services: LocalServices | undefined;
  containers: RunningContainers | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly env: string) {}

  teardown(): Promise<void> {
    return (this.stopping ??= (async () => {
      await this.containers?.stop();
      await removeLeftovers(this.env, { ...process.env, ...this.services?.env }).catch(() => undefined);
      await this.services?.stop();
      await stopProjectEmulator();
      await removeSession();
    })());
  }

  /** Ctrl-C (or a SIGTERM) stops everything and exits 0. */
  stopOnSignals(): void {
    const onSignal = (signal: string) => {
      console.log(
        `\n${signal}: removing the containers and the network, stopping the registry, Podman's API and the AWS emulator ...`,
      );
      void this.teardown().finally(() => {
        console.log("Stopped. Nothing is left running.");
        process.exit(0);
      });
    };
    process.on("SIGINT", () => onSignal("SIGINT"));
    process.on("SIGTERM", () => onSignal("SIGTERM"));
  }
}

async function startServices(): Promise<LocalServices> {
  const services = await timed(
    "Starting the local registry and Podman's API, making the local Node.js base image",
    () => startProjectServices(process.env),
  );
  log(`Registry at ${services.registry}, Docker API at ${services.dockerHost}`);
  return services;
}

/** How npm start builds: this machine's architecture, on the project's local base image. */
const imageBuildFlags = ["--platform", `linux/${arch}`, "--local-base"];

/**
 * IMAGE_TAG, else a tag derived from the build inputs' content (scripts/images.sh --tag source): a start with no
 * source change finds its images and builds nothing, and an uncommitted change gets images of its own.
 */
async function imageTagOf(): Promise<string> {
  const given = process.env.IMAGE_TAG;
  if (given !== undefined) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}$/.test(given)) {
      throw new UsageError(`IMAGE_TAG must be a valid image tag (letters, digits, _ . -; got '${given}')`);
    }
    return given;
  }
  const printed = await run("bash", [
    path.join(repoRoot, "scripts", "images.sh"),
    ...imageBuildFlags,
    "--print-source-tag",
  ]);
  if (printed.code !== 0)
    throw new UsageError(printed.stderr.trim() || "scripts/images.sh --print-source-tag failed");
  return printed.stdout.trim();
}

function emulatorTarget(
  env: string,
  endpoint: string,
  services: LocalServices,
  imageSource: string,
  imageTag: string,
): Target {
  return {
    kind: "emulator",
    env: {
      ...process.env,
      ...services.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      // The environment's region (its env.hcl), which the units' provider uses too.
      AWS_REGION: envRegion(env),
      AWS_DEFAULT_REGION: envRegion(env),
      // The images unit pushes what images.sh built (see live/_envcommon/images.hcl).
      FAS_IMAGE_SOURCE: imageSource === "apps" ? "local" : imageSource,
      IMAGE_TAG: imageTag,
      // Production's HTTPS in the emulator: a domain in a local zone (live/_envcommon/alb.hcl, useLocalHostedZone).
      FAS_LOCAL_HOSTED_ZONE: localHostedZone,
    },
    registry: services.registry,
    description: `the local emulator at ${endpoint}`,
  };
}

/** Tells the other commands (promote, rollback, secret:set, drift) about this emulator and registry. */
async function publishSession(endpoint: string, services: LocalServices, target: Target): Promise<void> {
  await writeSession({
    pid: process.pid,
    endpoint,
    registry: services.registry,
    dockerHost: services.dockerHost,
    env: Object.fromEntries(
      Object.entries(target.env).filter(
        ([key]) =>
          key.startsWith("AWS_") ||
          key.startsWith("FAS_") ||
          ["DOCKER_HOST", "CONTAINERS_REGISTRIES_CONF", "IMAGE_TAG"].includes(key),
      ),
    ) as Record<string, string>,
  });
}

async function buildImages(imageTag: string, env: NodeJS.ProcessEnv): Promise<void> {
  // Builds with Podman's CLI first: it passes build secrets (a proxy's CA bundle for npm), which the Docker
  // API's classic builder cannot; the images unit's build then reuses these cached layers.
  await timed(`Building the images for linux/${arch}`, () =>
    inherit(
      "bash",
      [
        path.join(repoRoot, "scripts", "images.sh"),
        ...imageBuildFlags,
        "--tag",
        // "source" also skips an app whose image for these inputs exists.
        process.env.IMAGE_TAG === undefined ? "source" : imageTag,
      ],
      { cwd: repoRoot, env },
    ),
  );
  // images.sh makes manifest lists; the images unit pushes this machine's image from each, by name.
  for (const app of ["frontend", "backend"]) {
    const list = `localhost/fargate-ai-stack/${app}:${imageTag}`;
    const manifest = JSON.parse((await runChecked("podman", ["manifest", "inspect", list], env)).stdout) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    const instance = manifest.manifests.find((m) => m.platform.architecture === arch);
    if (!instance) throw new Error(`${list} has no linux/${arch} image`);
    await runChecked(
      "podman",
      ["tag", `localhost/fargate-ai-stack/${app}@${instance.digest}`, `${list}-${arch}`],
      env,
    );
  }
}

/** Applies live/<env> against the emulator; returns how many seconds the apply took. */
async function applyEnvironment(env: string, target: Target): Promise<number> {
  const applyStarted = Date.now();
  await timed(`terragrunt run --all apply in live/${env}`, () =>
    inherit(
      "terragrunt",
      // --summary-per-unit: the run summary lists each unit's time (where an apply's minutes go).
      [
        "run",
        "--all",
        "--non-interactive",
        "--summary-per-unit",
        "apply",
        "--",
        "-auto-approve",
        "-no-color",
      ],
      {
        cwd: envDir(env),
        env: target.env,
      },
    ),
  );
  return (Date.now() - applyStarted) / 1000;
}

/**
 * Brings live/<env> up in the emulator: from the snapshot saved after an earlier apply of the same inputs when
 * there is one and its images are still in the local registry, else by applying it (and saving a snapshot).
 * applySeconds is undefined when it was restored.
 */
async function deployEnvironment(
  env: string,
  target: Target,
  endpoint: string,
  snapshot: string,
  fresh: boolean,
): Promise<{ deployed: DeployedEnvironment; applySeconds?: number }> {
  if (!fresh) {
    const restoreStarted = Date.now();
    if (await restoreSnapshot(endpoint, snapshot)) {
      const deployed = await readDeployed(target, env);
      if (await imagesInRegistry(Object.values(deployed.services).map((service) => service.image))) {
        log(
          `live/${env} restored in ${elapsed(restoreStarted)} from the emulator's snapshot of its last apply with these inputs (${path.relative(repoRoot, snapshotDir)}/${snapshot}.pickle); npm start -- --fresh applies it again`,
        );
        return { deployed };
      }
      log(`The snapshot's images are gone from the local registry: applying live/${env} again`);
      await resetEmulator(endpoint);
    }
  }
  // Made for every environment: a later `npm run promote` to prod applies in this same emulator.
  await useLocalHostedZone(endpoint);
  const applySeconds = await applyEnvironment(env, target);
  // A snapshot only saves time later: without one the next start applies again.
  await saveSnapshot(endpoint, snapshot).catch((error: Error) =>
    log(`No snapshot saved, so the next start applies again: ${error.message}`),
  );
  return { deployed: await readDeployed(target, env), applySeconds };
}

/** Polls the containers' health checks for up to 120 s; fails naming the ones still unhealthy. */
async function waitUntilHealthy(containers: RunningContainers): Promise<ContainerStatus[]> {
  const deadline = Date.now() + 120_000;
  let rows = await containers.status();
  while (rows.some((row) => row.health !== "healthy") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    rows = await containers.status();
  }
  const unhealthy = rows.filter((row) => row.health !== "healthy");
  if (unhealthy.length > 0) {
    throw new Error(
      `containers not healthy after 120 s: ${unhealthy.map((r) => `${r.name} (${r.state}: ${r.health})`).join(", ")}; see podman logs ${unhealthy[0]?.name}`,
    );
  }
  return rows;
}

async function runContainers(
  target: Target,
  deployed: DeployedEnvironment,
  port: number,
  backendName: string,
): Promise<RunningContainers> {
  const containers = await timed("Running the task definitions as containers", () =>
    runTaskDefinitions({
      target,
      deployed,
      backendName,
      frontendPort: port,
      podmanEnv: target.env,
      openaiBaseUrl: process.env.OPENAI_BASE_URL,
    }),
  );
  const rows = await waitUntilHealthy(containers);
  const columns = ["service", "container", "state", "health", "address", "image"];
  const cells = rows.map((r) => [r.app, r.name, r.state, r.health, r.address, r.image]);
  console.log(`\n${formatTable([columns, ...cells], { rule: true, indent: "    " })}\n`);
  return containers;
}

interface Summary {
  env: string;
  endpoint: string;
  registry: string;
  applySeconds: number | undefined;
  backendName: string;
  albUrl: unknown;
  imageSource: string;
  started: number;
  containers: RunningContainers | undefined;
  user: { email: string; password: string };
}

function printSummary(s: Summary): void {
  if (s.applySeconds !== undefined) log(`live/${s.env} applied in ${s.applySeconds.toFixed(1)}s`);
  log(`Backend DNS name (Cloud Map): ${s.backendName}`);
  log(
    `Load balancer in the emulator: ${String(s.albUrl ?? "-")} (the emulator serves no traffic; use the app URL)`,
  );
  log(`AWS emulator: ${s.endpoint}   registry: ${s.registry}`);
  if (!process.env.OPENAI_BASE_URL) {
    log(
      `No OpenAI key is stored yet: \`npm run secret:set -- --env ${s.env}\` stores one in the emulator, or restart with OPENAI_BASE_URL=<an OpenAI-compatible server>`,
    );
  }
  log(
    `Sign in as ${s.user.email} with the password ${s.user.password} (a user of the emulator only, made by npm start; \`npm run user:add -- --env ${s.env} --email ADDRESS\` adds others)`,
  );
  log(
    s.containers
      ? `Ready in ${elapsed(s.started)}: ${s.containers.frontendUrl}`
      : `Ready in ${elapsed(s.started)} (FAS_IMAGE_SOURCE=${s.imageSource}: no containers run)`,
  );
  console.log("    Press Ctrl-C to stop everything.");
}

/** Starts everything in order; what has started is in `local`, for the teardown. */
async function startAll(
  local: LocalRun,
  { env, port, fresh }: { env: string; port: number; fresh: boolean },
  started: number,
): Promise<void> {
  const imageSource = process.env.FAS_IMAGE_SOURCE ?? "apps";
  const endpoint = await timed("Starting the AWS emulator (moto)", startProjectEmulator);
  log(`AWS emulator at ${endpoint}`);
  const services = (local.services = await startServices());
  const imageTag = await imageTagOf();
  const target = emulatorTarget(env, endpoint, services, imageSource, imageTag);
  await publishSession(endpoint, services, target);
  if (imageSource === "apps") await buildImages(imageTag, target.env);
  const snapshot = await snapshotName({ env, imageTag, imageSource, registry: services.registry });
  const { deployed, applySeconds } = await deployEnvironment(env, target, endpoint, snapshot, fresh);
  const { backend, alb, auth } = await unitsOutputs(target, env, ["backend", "alb", "auth"]);
  const user = await ensureLocalUser(target, env, auth);
  const backendName = String(backend.discovery_name ?? `backend.${env}.fargate-ai-stack.local`);
  if (imageSource === "apps") local.containers = await runContainers(target, deployed, port, backendName);
  printSummary({
    env,
    endpoint,
    registry: services.registry,
    applySeconds,
    backendName,
    albUrl: alb.url,
    imageSource,
    started,
    containers: local.containers,
    user,
  });
}

async function main(): Promise<void> {
  const options = parseStartCommandLine();
  const { port } = options;
  if (!(await portIsFree(port))) {
    throw new UsageError(
      `port ${port} on 127.0.0.1 is in use: stop what uses it or pass another, e.g. npm start -- --port 3100`,
    );
  }
  const started = Date.now();
  const local = new LocalRun(options.env);
  local.stopOnSignals();
  try {
    await startAll(local, options, started);
  } catch (error) {
    const code = reportError(error);
    console.error("Stopping what was started ...");
    await local.teardown();
    process.exit(code);
  }
  // Runs until a signal arrives (the interval keeps the event loop alive).
  await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}

runCommand(main);
