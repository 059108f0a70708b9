/**
 * Warm starts: after `npm start` applies an environment, the emulator saves its whole state (scripts/moto/
 * snapshots.py); the next start with the same inputs restores it in a second instead of applying again.
 *
 * "The same inputs" is everything the apply read: the infrastructure code and its pins (modules/, the
 * environment's and the shared live/ folders, the root terragrunt.hcl, scripts/pins.env, the emulator's
 * launcher), the environment, the image tag (itself derived from the apps' sources), the image source, the base
 * image, the local registry's address (part of every image name) and the local hosted zone (FAS_LOCAL_HOSTED_ZONE:
 * production's domain in the emulator). Any change gives another snapshot name, so
 * a stale snapshot is never restored; the images it names must still be in the registry (checked after
 * restoring). The tests' own emulators keep no snapshots.
 */
import { createHash } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../lib/environments.js";
import { localHostedZone } from "./hosted-zone.js";
import { run } from "@fargate-ai-stack/test-support";

/** Where scripts/moto.sh lets the emulator keep snapshots (FAS_EMULATOR_SNAPSHOTS). */
export const snapshotDir = path.join(repoRoot, ".run", "emulator-snapshots");

/** Bump when what a snapshot holds changes meaning. */
const FORMAT = "1";

/** What an apply of live/<env> reads from the checkout (git pathspecs; READMEs left out). */
const infrastructureInputs = (env: string) => [
  "modules",
  "live/_envcommon",
  `live/${env}`,
  "terragrunt.hcl",
  "scripts/pins.env",
  "scripts/moto",
  "scripts/image-services-check.sh",
  ":(exclude,glob)**/README.md",
];

export interface SnapshotInputs {
  env: string;
  imageTag: string;
  imageSource: string;
  registry: string;
}

/** "<env>-<16 hex>": changes whenever anything the environment's apply read changes. */
export async function snapshotName(inputs: SnapshotInputs, root = repoRoot): Promise<string> {
  const listing = await run("bash", [
    "-c",
    'source "$0/scripts/lib.sh" && tree_listing "$0" "$@"',
    root,
    ...infrastructureInputs(inputs.env),
  ]);
  if (listing.code !== 0)
    throw new Error(`listing the infrastructure inputs failed: ${listing.stderr.trim()}`);
  const hash = createHash("sha256")
    .update(listing.stdout)
    .update(
      JSON.stringify([
        FORMAT,
        inputs.env,
        inputs.imageTag,
        inputs.imageSource,
        inputs.registry,
        process.env.FAS_BASE_IMAGE ?? "",
        localHostedZone,
      ]),
    )
    .digest("hex");
  return `${inputs.env}-${hash.slice(0, 16)}`;
}

async function snapshotRequest(endpoint: string, action: "save" | "restore", name: string) {
  const response = await fetch(`${endpoint}/moto-api/snapshots/${action}?name=${name}`, { method: "POST" });
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return { ok: response.ok, status: response.status, error: body.error };
}

/** Restores the named snapshot into the emulator; false when there is none. */
export async function restoreSnapshot(endpoint: string, name: string): Promise<boolean> {
  const files = await readdir(snapshotDir).catch(() => [] as string[]);
  if (!files.includes(`${name}.pickle`)) return false;
  const result = await snapshotRequest(endpoint, "restore", name);
  if (!result.ok) throw new Error(`the emulator could not restore ${name}: ${result.error ?? result.status}`);
  return true;
}

/** Saves the emulator's state as the named snapshot and removes the environment's older ones. */
export async function saveSnapshot(endpoint: string, name: string): Promise<void> {
  const result = await snapshotRequest(endpoint, "save", name);
  if (!result.ok) throw new Error(`the emulator could not save ${name}: ${result.error ?? result.status}`);
  const env = name.slice(0, name.lastIndexOf("-"));
  for (const file of await readdir(snapshotDir)) {
    if (file.startsWith(`${env}-`) && file !== `${name}.pickle`) await rm(path.join(snapshotDir, file));
  }
}

/** Clears the emulator (after a snapshot turned out unusable). */
export async function resetEmulator(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`the emulator did not reset (HTTP ${response.status})`);
}

/** Whether the registry still holds every image ("<registry>/<repository>@sha256:..."), by a manifest HEAD. */
export async function imagesInRegistry(images: string[]): Promise<boolean> {
  for (const image of images) {
    const match = /^([^/]+)\/(.+)@(sha256:[0-9a-f]{64})$/.exec(image);
    if (!match) return false;
    const [, registry, repository, digest] = match;
    const response = await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, {
      method: "HEAD",
      headers: {
        Accept: [
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
        ].join(", "),
      },
    }).catch(() => undefined);
    if (!response?.ok) return false;
  }
  return true;
}
