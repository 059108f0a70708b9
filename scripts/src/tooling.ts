/**
 * Shared by the operations commands (drift, bench:infra): the project's tool environment (the same as
 * scripts/lib.sh project_env, so the commands also work when started without it), the environment names, the
 * units of an environment and a child-process runner that captures output.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./local-services.js";

export { repoRoot };
export const ENVIRONMENTS = ["dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Thrown for bad command lines; the commands print its message after "error: ". */
export class UsageError extends Error {}

/** Validates an --env value: one of ENVIRONMENTS with a live/<env>/env.hcl. */
export function checkEnvironment(env: string): Environment {
  if (!(ENVIRONMENTS as readonly string[]).includes(env) || !existsSync(path.join(envDir(env), "env.hcl"))) {
    throw new UsageError(`unknown environment '${env}': use one of ${ENVIRONMENTS.join(", ")}`);
  }
  return env as Environment;
}

export function envDir(env: string): string {
  return path.join(repoRoot, "live", env);
}

/** The units of an environment: the folders of live/<env> with a terragrunt.hcl, sorted. */
export function unitsOf(env: Environment): string[] {
  return readdirSync(envDir(env), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(envDir(env), entry.name, "terragrunt.hcl")),
    )
    .map((entry) => entry.name)
    .sort();
}

/**
 * scripts/lib.sh project_env: project tools first on PATH, the project's OpenTofu CLI config, Podman settings,
 * non-interactive Terragrunt that creates the state bucket when missing. Values already set by the caller win
 * for TG_TF_PATH (as in project_env).
 */
export function projectEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const tools = path.join(repoRoot, ".tools");
  return {
    ...base,
    PATH: `${path.join(tools, "bin")}:${path.join(tools, "venv", "bin")}:${base.PATH ?? ""}`,
    TF_CLI_CONFIG_FILE: path.join(tools, "tofurc"),
    CONTAINERS_CONF: path.join(repoRoot, "scripts", "containers.conf"),
    TG_TF_PATH: base.TG_TF_PATH ?? "tofu",
    TG_NON_INTERACTIVE: "true",
    TG_BACKEND_BOOTSTRAP: "true",
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell, collecting its output; never rejects on a non-zero exit. */
export function capture(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Aborting sends SIGTERM, which Terragrunt passes on to OpenTofu.
      ...(options.signal ? { signal: options.signal, killSignal: "SIGTERM" as const } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => (error.name === "AbortError" ? undefined : reject(error)));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
