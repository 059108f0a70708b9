/**
 * `npm start`: the system on this machine, without an AWS account.
 *
 * 1. starts the AWS API emulator (moto) on a free 127.0.0.1 port, a local container registry and Podman's
 *    Docker-compatible API (the emulator serves no registry);
 * 2. applies live/<env> against it with `terragrunt run --all apply` (the images unit builds and pushes to the
 *    local registry);
 * 3. prints the outputs, then keeps running until Ctrl-C, which stops everything it started.
 *
 * Usage: npm start [-- --env dev]
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { ensureBaseImage, startLocalServices, type LocalServices } from "./local-services.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const ENVIRONMENTS = ["dev", "prod"] as const;

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

function parseCommandLine(): { env: string } {
  try {
    const { values } = parseArgs({
      options: { env: { type: "string", default: "dev" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(
        "Usage: npm start [-- --env dev|prod]\nStarts the AWS emulator, applies live/<env> against it and keeps running until Ctrl-C.",
      );
      process.exit(0);
    }
    const env = values.env ?? "dev";
    if (
      !(ENVIRONMENTS as readonly string[]).includes(env) ||
      !existsSync(path.join(root, "live", env, "env.hcl"))
    ) {
      fail(
        `unknown environment '${env}': use one of ${ENVIRONMENTS.join(", ")} (a folder live/<env> with an env.hcl)`,
      );
    }
    return { env };
  } catch (error) {
    fail(`${(error as Error).message}. Usage: npm start [-- --env dev|prod]`);
  }
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/** Runs a command with inherited output; resolves with its exit code. */
function runInherit(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

function runCapture(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
  });
}

async function main(): Promise<void> {
  const { env } = parseCommandLine();
  const started = Date.now();
  const motoScript = path.join(root, "scripts", "moto.sh");
  const stopEmulator = () => spawn("bash", [motoScript, "stop"], { stdio: "inherit" });

  let services: LocalServices | undefined = undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the registry, Podman's API and the AWS emulator ...`);
    void (services?.stop() ?? Promise.resolve()).finally(() =>
      stopEmulator().on("close", () => {
        console.log("Stopped. Nothing is left running.");
        process.exit(0);
      }),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  let step = Date.now();
  console.log("==> Starting the AWS emulator (moto) ...");
  const moto = await runCapture("bash", [motoScript, "start"], { cwd: root, env: process.env });
  if (moto.code !== 0) fail("the AWS emulator did not start (see above)");
  const endpoint = moto.stdout.trim();
  console.log(`==> AWS emulator at ${endpoint} (${elapsed(step)})`);

  const awsEnv: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
  };
  const envDir = path.join(root, "live", env);

  step = Date.now();
  console.log("==> Starting the local registry and Podman's API; making the local Node.js base image ...");
  await ensureBaseImage(process.env);
  services = await startLocalServices(path.join(root, ".run", "local"), process.env);
  Object.assign(awsEnv, services.env, {
    // The emulator runs no containers, so the small offline fixture stands in for the app images unless asked
    // otherwise (FAS_IMAGE_SOURCE=apps builds the real Dockerfiles).
    FAS_IMAGE_SOURCE: process.env.FAS_IMAGE_SOURCE ?? "fixture",
  });
  console.log(
    `==> Registry at ${services.registry}, Docker API at ${services.dockerHost} (${elapsed(step)})`,
  );

  step = Date.now();
  console.log(`==> terragrunt run --all apply in live/${env} ...`);
  const applied = await runInherit(
    "terragrunt",
    ["run", "--all", "--non-interactive", "apply", "--", "-auto-approve", "-no-color"],
    {
      cwd: envDir,
      env: awsEnv,
    },
  );
  if (applied !== 0) {
    await services.stop();
    stopEmulator();
    fail(`terragrunt run --all apply failed in live/${env} (exit ${applied}); the emulator was stopped`);
  }
  console.log(`==> live/${env} applied in ${elapsed(step)}`);

  for (const unit of readdirSync(envDir, { withFileTypes: true })) {
    if (!unit.isDirectory() || !existsSync(path.join(envDir, unit.name, "terragrunt.hcl"))) continue;
    const outputs = await runCapture("terragrunt", ["output", "--non-interactive", "-no-color"], {
      cwd: path.join(envDir, unit.name),
      env: { ...awsEnv, TG_LOG_LEVEL: "error" },
    });
    console.log(`\n==> Outputs of live/${env}/${unit.name}\n${outputs.stdout.trim()}`);
  }
  console.log(`==> Ready in ${elapsed(started)}. AWS emulator: ${endpoint}`);
  console.log(
    `    Try: AWS_ENDPOINT_URL=${endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws ec2 describe-vpcs --region us-east-1`,
  );
  console.log("    Press Ctrl-C to stop everything.");
  // Keep the event loop alive until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(error);
  spawn("bash", [path.join(root, "scripts", "moto.sh"), "stop"], { stdio: "inherit" }).on("close", () =>
    process.exit(1),
  );
});
