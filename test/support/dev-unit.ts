/**
 * One unit of live/dev applied to a fresh AWS emulator, for the tests of commands that work on an applied unit
 * (drift, user:*). Terragrunt works in a temporary download dir, so live/dev/*\/.terragrunt-cache is not touched.
 */
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { projectEnv, run, type RunResult } from "./exec.js";
import { liveDir } from "./paths.js";

export const devDir = path.join(liveDir, "dev");

export const show = (result: RunResult) =>
  `exit ${result.code}\n--- stdout ---\n${result.stdout.slice(-6000)}\n--- stderr ---\n${result.stderr.slice(-6000)}`;

export interface AppliedDevUnit {
  emulator: Emulator;
  /** The project's environment pointed at the emulator and the temporary download dir. */
  env: NodeJS.ProcessEnv;
  /** `terragrunt run --all` of just this unit. */
  terragrunt(args: string[]): Promise<RunResult>;
  /** Destroys the unit when asked (failures are printed, not thrown), stops the emulator, removes the dir. */
  close(options?: { destroy?: boolean }): Promise<void>;
}

export async function applyDevUnit(unit: string): Promise<AppliedDevUnit> {
  const emulator = await startEmulator();
  const work = await mkdtemp(path.join(os.tmpdir(), `fas-${unit}-`));
  const env = projectEnv({ ...emulator.env, TG_DOWNLOAD_DIR: path.join(work, "terragrunt-cache") });
  const terragrunt = (args: string[]) =>
    run("terragrunt", ["run", "--all", "--non-interactive", "--filter", `./${unit}`, ...args], {
      cwd: devDir,
      env,
      timeoutMs: 15 * 60_000,
    });
  const close = async ({ destroy = false } = {}) => {
    if (destroy) {
      const destroyed = await terragrunt(["destroy", "--", "-auto-approve", "-no-color"]);
      if (destroyed.code !== 0) console.error(`destroy of live/dev/${unit} failed:\n${show(destroyed)}`);
    }
    await emulator.stop();
    await rm(work, { recursive: true, force: true });
  };
  const applied = await terragrunt(["apply", "--", "-auto-approve", "-no-color"]);
  if (applied.code !== 0) await close();
  expect(applied.code, `apply of live/dev/${unit} failed:\n${show(applied)}`).to.equal(0);
  return { emulator, env, terragrunt, close };
}
