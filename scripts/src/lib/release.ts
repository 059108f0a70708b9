/**
 * live/<env>/release.json: the releases promoted into an environment, newest first. The images unit of that
 * environment deploys the first one instead of building (live/_envcommon/images.hcl); `npm run promote` adds
 * releases and `npm run rollback` returns to the previous one. The file is committed: every promotion and
 * rollback is a reviewable change in git.
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { envDir } from "./environments.js";

export interface ReleaseImage {
  /** The tag the image carries in this environment's repository (a git commit, or a source tag from npm start). */
  tag: string;
  /** Manifest digest ("sha256:..."): what the services run. */
  digest: string;
}

export interface Release {
  promoted_at: string;
  from: string;
  images: Record<string, ReleaseImage>;
}

export interface ReleaseFile {
  releases: Release[];
  /** Releases taken back by `npm run rollback`, newest first, kept for the record. */
  rolled_back: Release[];
}

/** How many releases the file keeps; older ones have usually expired from the registry (ECR lifecycle). */
const KEEP = 20;

export function releaseFilePath(env: string): string {
  return path.join(envDir(env), "release.json");
}

export function readReleases(env: string): ReleaseFile {
  const file = releaseFilePath(env);
  if (!existsSync(file)) return { releases: [], rolled_back: [] };
  let parsed: Partial<ReleaseFile>;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<ReleaseFile>;
  } catch (error) {
    throw new Error(
      `live/${env}/release.json is not valid JSON (${(error as Error).message}): fix or restore it from git`,
      { cause: error },
    );
  }
  return { releases: parsed.releases ?? [], rolled_back: parsed.rolled_back ?? [] };
}

export async function writeReleases(env: string, releases: ReleaseFile): Promise<void> {
  const trimmed = {
    releases: releases.releases.slice(0, KEEP),
    rolled_back: releases.rolled_back.slice(0, KEEP),
  };
  await writeFile(releaseFilePath(env), `${JSON.stringify(trimmed, null, 2)}\n`);
}
