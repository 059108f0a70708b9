/**
 * What the operations commands (start, promote, rollback) share: environment names, the AWS target (the
 * emulator of a running `npm start`, or real AWS), Terragrunt runs and unit outputs, and clear failures.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "./local-services.js";

export { repoRoot };

/** A failure the user can act on: printed as "error: <message>" with exit code 2, without a stack trace. */
export class UsageError extends Error {}

/** Environments are the folders of live/ that hold an env.hcl (live/_envcommon is not one). */
export function environments(): string[] {
  const live = path.join(repoRoot, "live");
  return readdirSync(live, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(live, entry.name, "env.hcl")))
    .map((entry) => entry.name)
    .sort();
}

export function checkEnvironment(env: string | undefined, option: string): string {
  const known = environments();
  if (!env) throw new UsageError(`${option} is required: use one of ${known.join(", ")}`);
  if (!known.includes(env))
    throw new UsageError(`unknown environment '${env}': use one of ${known.join(", ")}`);
  return env;
}

export function envDir(env: string): string {
  return path.join(repoRoot, "live", env);
}

// --- the AWS target ---------------------------------------------------------------------------------------

/** What a running `npm start` publishes so that the other commands can use its emulator and registry. */
export interface LocalSession {
  pid: number;
  endpoint: string;
  registry: string;
  dockerHost: string;
  env: Record<string, string>;
}

export const sessionFile = path.join(repoRoot, ".run", "local", "session.json");

export async function writeSession(session: LocalSession): Promise<void> {
  await mkdir(path.dirname(sessionFile), { recursive: true });
  await writeFile(sessionFile, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
}

export async function removeSession(): Promise<void> {
  await rm(sessionFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readSession(): LocalSession | undefined {
  if (!existsSync(sessionFile)) return undefined;
  try {
    const session = JSON.parse(readFileSync(sessionFile, "utf8")) as LocalSession;
    return isAlive(session.pid) ? session : undefined;
  } catch {
    return undefined;
  }
}

export interface Target {
  /** "emulator" (AWS_ENDPOINT_URL set, or a running `npm start`) or "aws". */
  kind: "emulator" | "aws";
  /** Environment for Terragrunt and the AWS SDK. */
  env: NodeJS.ProcessEnv;
  /** The local registry when the emulator is the target (it serves no registry of its own). */
  registry?: string;
  description: string;
}

/**
 * AWS_ENDPOINT_URL set: that emulator. Otherwise the emulator of a running `npm start` on this checkout, if
 * any (said on the first line of every command). Otherwise real AWS with the standard credential chain.
 */
export function resolveTarget(): Target {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (endpoint) {
    return {
      kind: "emulator",
      // An emulator accepts any credentials; default to moto's conventional ones when none are set.
      env: {
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_REGION: "us-east-1",
        ...process.env,
      },
      registry: process.env.FAS_IMAGE_REGISTRY,
      description: `the AWS endpoint ${endpoint} (AWS_ENDPOINT_URL)`,
    };
  }
  const session = readSession();
  if (session) {
    return {
      kind: "emulator",
      env: { ...process.env, ...session.env },
      registry: session.registry,
      description: `the local emulator of \`npm start\` (pid ${session.pid}) at ${session.endpoint}`,
    };
  }
  return { kind: "aws", env: { ...process.env }, description: "AWS (your default credentials and region)" };
}

/** Fails with a clear message when the emulator does not answer (real AWS is checked by the first call). */
export async function checkTargetReachable(target: Target): Promise<void> {
  if (target.kind !== "emulator") return;
  const endpoint = target.env.AWS_ENDPOINT_URL ?? "";
  try {
    await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(5000) });
  } catch {
    throw new UsageError(
      `the AWS emulator at ${endpoint} does not answer: start it with \`npm start\` (or scripts/moto.sh start), or unset AWS_ENDPOINT_URL to use real AWS`,
    );
  }
}

/** Region and account-independent SDK settings for the target. */
export function sdkConfig(target: Target): {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
} {
  const region = target.env.AWS_REGION ?? target.env.AWS_DEFAULT_REGION ?? "us-east-1";
  if (target.kind !== "emulator") return { region };
  return {
    region,
    endpoint: target.env.AWS_ENDPOINT_URL,
    // The emulator accepts any credentials; a running `npm start` hands out its own.
    credentials: {
      accessKeyId: target.env.AWS_ACCESS_KEY_ID ?? "test",
      secretAccessKey: target.env.AWS_SECRET_ACCESS_KEY ?? "test",
    },
  };
}

// --- processes ----------------------------------------------------------------------------------------------

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command. Output is captured; with `echo`, it is also streamed to this process's stderr so the user
 * sees progress.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/** Runs one step with its name and duration on stderr. */
export async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  process.stderr.write(`==> ${name} ...\n`);
  const result = await action();
  process.stderr.write(`==> ${name} done in ${elapsed(started)}\n`);
  return result;
}

/** `terragrunt output -json` of one unit, as plain values. */
export async function unitOutputs(
  target: Target,
  env: string,
  unit: string,
): Promise<Record<string, unknown>> {
  const result = await run("terragrunt", ["output", "-json"], {
    cwd: path.join(envDir(env), unit),
    env: { ...target.env, TG_LOG_LEVEL: "error" },
  });
  if (result.code !== 0) {
    throw new Error(`terragrunt output failed in live/${env}/${unit}: ${result.stderr.trim().slice(-2000)}`);
  }
  const raw = JSON.parse(result.stdout || "{}") as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(raw).map(([name, output]) => [name, output.value]));
}

/** `terragrunt run --all <command>` in live/<env> (apply and destroy without prompts), output streamed. */
export async function runAll(
  target: Target,
  env: string,
  command: string,
  extra: string[] = [],
): Promise<void> {
  const tfArgs =
    command === "apply" || command === "destroy" ? ["-auto-approve", "-no-color"] : ["-no-color"];
  const result = await run(
    "terragrunt",
    ["run", "--all", "--non-interactive", ...extra, command, "--", ...tfArgs],
    {
      cwd: envDir(env),
      env: target.env,
      echo: true,
    },
  );
  if (result.code !== 0)
    throw new Error(`terragrunt run --all ${command} failed in live/${env} (exit ${result.code})`);
}

/** Entry point wrapper: usage errors exit 2 with one line, anything else exits 1. */
export function main(program: () => Promise<void>): void {
  program().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`error: ${error.message}`);
        process.exit(2);
      }
      console.error(`error: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}

/** The AWS region of live/<env> (its env.hcl). */
export function envRegion(env: string): string {
  const hcl = readFileSync(path.join(envDir(env), "env.hcl"), "utf8");
  const region = /^\s*region\s*=\s*"([a-z0-9-]+)"/m.exec(hcl)?.[1];
  if (!region) throw new Error(`live/${env}/env.hcl sets no region`);
  return region;
}
