/**
 * The AWS a command works on: AWS_ENDPOINT_URL's emulator, the emulator of a running `npm start`, or real AWS,
 * and the AWS SDK settings for it.
 */
import { UsageError } from "./command.js";
import { envRegion } from "./environments.js";
import { readSession } from "./session.js";

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
    // moto's small config document: data.json would serialise every emulated resource first, which with an
    // environment applied on a busy machine can take longer than this wait.
    await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(5000) });
  } catch {
    throw new UsageError(
      `the AWS emulator at ${endpoint} does not answer: start it with \`npm start\` (or scripts/moto.sh start), or unset AWS_ENDPOINT_URL to use real AWS`,
    );
  }
}

/**
 * AWS SDK settings for live/<env> on the target. The region is always the environment's own (its env.hcl), as
 * the units' provider has it, never AWS_REGION: a shell's region must not send a command to another region than
 * the one Terragrunt deployed to.
 */
export function sdkConfig(
  target: Target,
  env: string,
): {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
} {
  const region = envRegion(env);
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
