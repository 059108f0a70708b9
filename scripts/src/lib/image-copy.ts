/**
 * Copies images between registries with skopeo, digest for digest, and checks what a registry serves. ECR
 * logins use short-lived tokens from the caller's AWS credentials, kept only in a temporary auth file.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { run } from "@fargate-ai-stack/test-support";
import { sdkConfig, type Target } from "./target.js";

export interface RegistryAccess {
  /** skopeo options for every call. */
  options: string[];
  dispose(): Promise<void>;
}

/**
 * Emulator: the local plain-HTTP registry, no login. AWS: an ECR token for the registry of each environment (each
 * in its own region), in a temporary auth file.
 */
export async function registryAccess(target: Target, envs: string[]): Promise<RegistryAccess> {
  if (target.kind === "emulator") {
    return { options: ["--src-tls-verify=false", "--dest-tls-verify=false"], dispose: async () => undefined };
  }
  const auths: Record<string, { auth: string }> = {};
  for (const env of envs) {
    const { authorizationData = [] } = await new ECRClient(sdkConfig(target, env)).send(
      new GetAuthorizationTokenCommand({}),
    );
    for (const data of authorizationData) {
      if (data.proxyEndpoint && data.authorizationToken) {
        auths[new URL(data.proxyEndpoint).host] = { auth: data.authorizationToken };
      }
    }
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "fas-registry-"));
  const authfile = path.join(dir, "auth.json");
  await writeFile(authfile, JSON.stringify({ auths }), { mode: 0o600 });
  return {
    options: ["--authfile", authfile],
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

function inspectOptions(access: RegistryAccess): string[] {
  // skopeo inspect takes --tls-verify / --authfile, not the copy command's --src-/--dest- forms.
  return access.options.some((o) => o.startsWith("--src-tls-verify"))
    ? ["--tls-verify=false"]
    : access.options;
}

/** The manifest digest a registry serves for a reference, or undefined when it has none. */
export async function servedDigest(access: RegistryAccess, reference: string): Promise<string | undefined> {
  const result = await run("skopeo", [
    "inspect",
    "--raw",
    ...inspectOptions(access),
    `docker://${reference}`,
  ]);
  if (result.code !== 0) {
    if (/manifest unknown|not found|does not exist|404/i.test(result.stderr)) return undefined;
    throw new Error(`skopeo inspect ${reference} failed: ${result.stderr.trim()}`);
  }
  return `sha256:${createHash("sha256").update(result.stdout).digest("hex")}`;
}

/**
 * Copies source (by digest) to destination repository:tag, every platform of a manifest list, keeping the
 * digest. Refuses when the tag already names another image (ECR tags are immutable in this project).
 */
export async function copyImage(
  access: RegistryAccess,
  source: string,
  digest: string,
  destination: string,
): Promise<"copied" | "present"> {
  const existing = await servedDigest(access, destination);
  if (existing === digest) return "present";
  if (existing) {
    throw new Error(
      `${destination} already names ${existing}, not ${digest}: tags are immutable, promote another commit`,
    );
  }
  const result = await run("skopeo", [
    "copy",
    "--all",
    "--preserve-digests",
    "--retry-times",
    "3",
    ...access.options,
    `docker://${source}`,
    `docker://${destination}`,
  ]);
  if (result.code !== 0)
    throw new Error(`skopeo copy ${source} -> ${destination} failed: ${result.stderr.trim()}`);
  const served = await servedDigest(access, destination);
  if (served !== digest)
    throw new Error(`${destination} serves ${served ?? "nothing"} after the copy, not ${digest}`);
  return "copied";
}
