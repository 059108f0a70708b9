/**
 * `npm start`: the whole system on this machine, without an AWS account.
 *
 * 1. starts the AWS API emulator (moto), a local container registry and Podman's Docker-compatible API;
 * 2. builds the app images for this machine's architecture (scripts/images.sh);
 * 3. applies live/<env> against the emulator with `terragrunt run --all apply` (the images unit pushes to the
 *    local registry; the services are registered with their task definitions);
 * 4. runs the containers as the task definitions stored in the emulator describe them, the backend answering
 *    at its Cloud Map DNS name on a Podman network (scripts/src/containers.ts);
 * 5. prints the app URL, the backend's DNS name and a status table, then runs until Ctrl-C, which removes the
 *    containers and the network and stops the registry, Podman's API and the emulator.
 *
 * While it runs, `npm run promote`, `npm run rollback` and `npm run secret:set` in another terminal use its
 * emulator (see scripts/src/ops.ts, resolveTarget).
 *
 * Usage: npm start [-- --env dev|prod] [--port 3000]
 * Environment: OPENAI_BASE_URL (an OpenAI-compatible server for the backend), FAS_IMAGE_SOURCE=fixture (skip the
 * app builds: small placeholder images; no containers are run then).
 */
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { removeLeftovers, runTaskDefinitions, type RunningContainers } from "./containers.js";
import { readDeployed } from "./deployed.js";
import { ensureBaseImage, startLocalServices, type LocalServices } from "./local-services.js";
import {
  checkEnvironment,
  elapsed,
  envDir,
  removeSession,
  repoRoot,
  run,
  unitOutputs,
  UsageError,
  writeSession,
  type Target,
} from "./ops.js";

const USAGE = "Usage: npm start [-- --env dev|prod] [--port 3000]";

function parseCommandLine(): { env: string; port: number } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        env: { type: "string", default: "dev" },
        port: { type: "string", default: "3000" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. ${USAGE}`);
  }
  if (values.help) {
    console.log(
      `${USAGE}\nRuns the whole system on this machine against the AWS emulator and keeps running until Ctrl-C.`,
    );
    process.exit(0);
  }
  const env = checkEnvironment(values.env, "--env");
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? "") || port < 1024 || port > 65535) {
    throw new UsageError(`--port must be a number from 1024 to 65535 (got '${values.port}')`);
  }
  return { env, port };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function log(message: string): void {
  console.log(`==> ${message}`);
}

async function timed<T>(name: string, action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`${name} ...`);
  const result = await action();
  log(`${name}: done in ${elapsed(started)}`);
  return result;
}

async function inherit(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (exitCode) => resolve(exitCode ?? 1));
  });
  if (code !== 0) throw new Error(`${command} ${args.slice(0, 3).join(" ")} failed (exit ${code})`);
}

async function runChecked(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = await run(command, args, { env });
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr.trim()}`);
  return result;
}

function table(rows: Record<string, string>[]): string {
  const headers = Object.keys(rows[0] ?? {});
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => (r[h] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [
    line(headers),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(headers.map((h) => r[h] ?? ""))),
  ]
    .map((l) => `    ${l.trimEnd()}`)
    .join("\n");
}

async function main(): Promise<void> {
  const { env, port } = parseCommandLine();
  if (!(await portIsFree(port))) {
    throw new UsageError(
      `port ${port} on 127.0.0.1 is in use: stop what uses it or pass another, e.g. npm start -- --port 3100`,
    );
  }
  const started = Date.now();
  const motoScript = path.join(repoRoot, "scripts", "moto.sh");
  const imageSource = process.env.FAS_IMAGE_SOURCE ?? "apps";

  let services: LocalServices | undefined;
  let containers: RunningContainers | undefined;
  let stopping: Promise<void> | undefined;
  const teardown = () =>
    (stopping ??= (async () => {
      await containers?.stop();
      await removeLeftovers(env, { ...process.env, ...services?.env }).catch(() => undefined);
      await services?.stop();
      await run("bash", [motoScript, "stop"]);
      await removeSession();
    })());
  const onSignal = (signal: string) => {
    console.log(
      `\n${signal}: removing the containers and the network, stopping the registry, Podman's API and the AWS emulator ...`,
    );
    void teardown().finally(() => {
      console.log("Stopped. Nothing is left running.");
      process.exit(0);
    });
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  try {
    const endpoint = await timed("Starting the AWS emulator (moto)", async () => {
      const result = await run("bash", [motoScript, "start"]);
      if (result.code !== 0) throw new Error(`the AWS emulator did not start: ${result.stderr.trim()}`);
      return result.stdout.trim();
    });
    log(`AWS emulator at ${endpoint}`);

    services = await timed(
      "Starting the local registry and Podman's API, making the local Node.js base image",
      async () => {
        await ensureBaseImage(process.env);
        return startLocalServices(path.join(repoRoot, ".run", "local"), process.env);
      },
    );
    log(`Registry at ${services.registry}, Docker API at ${services.dockerHost}`);

    const imageTag =
      process.env.IMAGE_TAG ?? (await run("git", ["rev-parse", "--short=12", "HEAD"])).stdout.trim();
    if (!/^[0-9a-f]{7,40}$/.test(imageTag)) {
      throw new UsageError("this is not a git checkout: set IMAGE_TAG to a commit SHA (7-40 hex digits)");
    }
    const targetEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...services.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
      // The images unit pushes what images.sh built (see live/_envcommon/images.hcl).
      FAS_IMAGE_SOURCE: imageSource === "apps" ? "local" : imageSource,
      IMAGE_TAG: imageTag,
    };
    const target: Target = {
      kind: "emulator",
      env: targetEnv,
      registry: services.registry,
      description: `the local emulator at ${endpoint}`,
    };
    await writeSession({
      pid: process.pid,
      endpoint,
      registry: services.registry,
      dockerHost: services.dockerHost,
      env: Object.fromEntries(
        Object.entries(targetEnv).filter(
          ([key]) =>
            key.startsWith("AWS_") ||
            key.startsWith("FAS_") ||
            ["DOCKER_HOST", "CONTAINERS_REGISTRIES_CONF", "IMAGE_TAG"].includes(key),
        ),
      ) as Record<string, string>,
    });

    const arch = process.arch === "arm64" ? "arm64" : "amd64";
    if (imageSource === "apps") {
      // Builds with Podman's CLI first: it passes build secrets (a proxy's CA bundle for npm), which the Docker
      // API's classic builder cannot; the images unit's build then reuses these cached layers.
      await timed(`Building the images for linux/${arch}`, () =>
        inherit(
          "bash",
          [
            path.join(repoRoot, "scripts", "images.sh"),
            "--platform",
            `linux/${arch}`,
            "--local-base",
            "--tag",
            imageTag,
          ],
          { cwd: repoRoot, env: targetEnv },
        ),
      );
      // images.sh makes manifest lists; the images unit pushes this machine's image from each, by name.
      for (const app of ["frontend", "backend"]) {
        const list = `localhost/fargate-ai-stack/${app}:${imageTag}`;
        const manifest = JSON.parse(
          (await runChecked("podman", ["manifest", "inspect", list], targetEnv)).stdout,
        ) as {
          manifests: { digest: string; platform: { architecture: string } }[];
        };
        const instance = manifest.manifests.find((m) => m.platform.architecture === arch);
        if (!instance) throw new Error(`${list} has no linux/${arch} image`);
        await runChecked(
          "podman",
          ["tag", `localhost/fargate-ai-stack/${app}@${instance.digest}`, `${list}-${arch}`],
          targetEnv,
        );
      }
    }

    const applyStarted = Date.now();
    await timed(`terragrunt run --all apply in live/${env}`, () =>
      inherit(
        "terragrunt",
        ["run", "--all", "--non-interactive", "apply", "--", "-auto-approve", "-no-color"],
        {
          cwd: envDir(env),
          env: targetEnv,
        },
      ),
    );
    const applySeconds = (Date.now() - applyStarted) / 1000;

    const deployed = await readDeployed(target, env);
    const backend = await unitOutputs(target, env, "backend");
    const backendName = String(backend.discovery_name ?? `backend.${env}.fargate-ai-stack.local`);
    const alb = await unitOutputs(target, env, "alb");

    if (imageSource === "apps") {
      containers = await timed("Running the task definitions as containers", () =>
        runTaskDefinitions({
          target,
          deployed,
          backendName,
          frontendPort: port,
          podmanEnv: targetEnv,
          openaiBaseUrl: process.env.OPENAI_BASE_URL,
        }),
      );
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
      console.log(
        `\n${table(rows.map((r) => ({ service: r.app, container: r.name, state: r.state, health: r.health, address: r.address, image: r.image })))}\n`,
      );
    }

    log(`live/${env} applied in ${applySeconds.toFixed(1)}s`);
    log(`Backend DNS name (Cloud Map): ${backendName}`);
    log(
      `Load balancer in the emulator: ${String(alb.url ?? "-")} (the emulator serves no traffic; use the app URL)`,
    );
    log(`AWS emulator: ${endpoint}   registry: ${services.registry}`);
    if (!process.env.OPENAI_BASE_URL) {
      log(
        `No OpenAI key is stored yet: \`npm run secret:set -- --env ${env}\` stores one in the emulator, or restart with OPENAI_BASE_URL=<an OpenAI-compatible server>`,
      );
    }
    log(
      containers
        ? `Ready in ${elapsed(started)}: ${containers.frontendUrl}`
        : `Ready in ${elapsed(started)} (FAS_IMAGE_SOURCE=${imageSource}: no containers run)`,
    );
    console.log("    Press Ctrl-C to stop everything.");
    // Keep the event loop alive until a signal arrives.
    setInterval(() => undefined, 1 << 30);
  } catch (error) {
    const message = error instanceof UsageError ? error.message : (error as Error).message;
    console.error(`error: ${message}`);
    console.error("Stopping what was started ...");
    await teardown();
    process.exit(error instanceof UsageError ? 2 : 1);
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${(error as Error).message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
