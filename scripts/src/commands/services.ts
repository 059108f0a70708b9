/**
 * `npm run services`: what the units need against the emulator, for your own `terragrunt` runs (README: "Running
 * against the emulator"): the AWS emulator (scripts/moto.sh), a local registry and Podman's Docker API
 * (scripts/src/local/services.ts) and the project's local Node.js base image. It prints the variables to export
 * and writes them, with the project's tool settings, to .run/local/services.env (`source` it in another
 * terminal); it publishes the session that promote, rollback, drift and secret:set find, and runs until Ctrl-C,
 * which stops all of it.
 *
 * Usage: npm run services
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCommandLine, reportError, runCommand, UsageError } from "../lib/command.js";
import { repoRoot } from "../lib/environments.js";
import { log, step, toStdout } from "../lib/log.js";
import { readSession, removeSession, servicesEnvFile, writeSession } from "../lib/session.js";
import { startProjectEmulator, stopProjectEmulator } from "../local/emulator.js";
import { startProjectServices, type LocalServices } from "../local/services.js";
import { useLocalHostedZone } from "../local/hosted-zone.js";

const USAGE = "Usage: npm run services";
const HELP = `${USAGE}
Starts the AWS emulator, a local registry and Podman's Docker API for your own terragrunt runs, prints the
variables to export (also in .run/local/services.env: \`source\` it in another terminal) and runs until Ctrl-C.`;

/** The shell file a second terminal sources: the exports, then the project's tools and settings. */
function envFileText(exports: Record<string, string>): string {
  return [
    "# Written by `npm run services` while it runs; removed when it stops. Source it: . .run/local/services.env",
    ...Object.entries(exports).map(([name, value]) => `export ${name}='${value}'`),
    `source '${path.join(repoRoot, "scripts", "lib.sh")}' && project_env`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  parseCommandLine({}, { text: USAGE, help: HELP, separator: ". " });
  const running = readSession();
  if (running) {
    throw new UsageError(
      `\`npm start\` or \`npm run services\` (pid ${running.pid}) already runs the emulator at ${running.endpoint} and the registry at ${running.registry}: use those, or stop it first`,
    );
  }

  let services: LocalServices | undefined;
  let emulatorStarted = false;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await rm(servicesEnvFile, { force: true });
      await removeSession();
      await services?.stop();
      if (emulatorStarted) await stopProjectEmulator();
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      console.log(`\n${signal}: stopping Podman's API, the registry and the AWS emulator ...`);
      void stop().finally(() => {
        console.log("Stopped. Nothing is left running.");
        process.exit(0);
      });
    });
  }

  try {
    const endpoint = await step("Starting the AWS emulator (moto)", startProjectEmulator, toStdout);
    emulatorStarted = true;
    services = await step(
      "Starting the local registry and Podman's API, making the local Node.js base image",
      () => startProjectServices(process.env),
      toStdout,
    );
    const exports = {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      // For tools that name no environment; the units and the commands take each environment's from its env.hcl.
      AWS_REGION: "us-east-1",
      ...services.env,
      // Terragrunt 1.x creates the state bucket only when asked.
      TG_BACKEND_BOOTSTRAP: "true",
      // Production's HTTPS: a domain in a hosted zone of the emulator (live/_envcommon/alb.hcl).
      ...(await useLocalHostedZone(endpoint)),
    };
    await writeFile(servicesEnvFile, envFileText(exports), { mode: 0o600 });
    await writeSession({
      pid: process.pid,
      endpoint,
      registry: services.registry,
      dockerHost: services.dockerHost,
      env: exports,
    });
    log(
      `AWS emulator at ${endpoint}, registry at ${services.registry}, Docker API at ${services.dockerHost}`,
      toStdout,
    );
    console.log("\nIn another terminal:");
    console.log(`  . ${path.relative(process.cwd(), servicesEnvFile) || servicesEnvFile}`);
    console.log("  cd live/dev && terragrunt run --all apply");
    console.log("\nor export these yourself (then `source scripts/lib.sh && project_env`):");
    for (const [name, value] of Object.entries(exports)) console.log(`  export ${name}=${value}`);
    console.log("\nReady. Press Ctrl-C to stop everything.");
  } catch (error) {
    const code = reportError(error);
    console.error("Stopping what was started ...");
    await stop();
    process.exit(code);
  }
  // Runs until a signal arrives (the interval keeps the event loop alive).
  await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}

runCommand(main);
