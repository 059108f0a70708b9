/**
 * `npm run promote -- --from dev --to prod`: ships exactly what runs in one environment to the next.
 *
 * 1. reads the image digests the source environment's ECS services run, and refuses when it is unhealthy
 *    (services not at their desired count, an unfinished deployment, an alarm in ALARM) or runs images by tag;
 * 2. refuses when the target environment has un-applied changes (a plan with changes), so a promotion never
 *    ships someone's pending edit with it;
 * 3. copies the images into the target's repositories (same digests; tag = the commit they were built from);
 * 4. writes them into live/<to>/release.json, a reviewable change to commit, and applies live/<to>.
 *
 * Usage: npm run promote -- --from dev --to prod [--no-apply]
 */
import path from "node:path";
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import {
  APPS,
  hasState,
  healthProblems,
  readDeployed,
  type App,
  type DeployedEnvironment,
} from "../lib/deployed.js";
import { checkEnvironment, repoRoot } from "../lib/environments.js";
import { copyImage, registryAccess } from "../lib/image-copy.js";
import { log, step } from "../lib/log.js";
import { run } from "@fargate-ai-stack/test-support";
import { readReleases, writeReleases, type ReleaseImage } from "../lib/release.js";
import { checkTargetReachable, resolveTarget, type Target } from "../lib/target.js";
import { runAll, unitOutputs } from "../lib/terragrunt.js";

const USAGE = "Usage: npm run promote -- --from <env> --to <env> [--no-apply]";

function parsePromoteCommandLine(): { from: string; to: string; apply: boolean } {
  const values = parseCommandLine(
    { from: { type: "string" }, to: { type: "string" }, "no-apply": { type: "boolean", default: false } },
    {
      text: USAGE,
      help: `${USAGE}\nCopies the image digests running in --from to --to, records them in live/<to>/release.json and applies live/<to>.`,
      separator: ". ",
    },
  );
  const from = checkEnvironment(values.from, "--from");
  const to = checkEnvironment(values.to, "--to");
  if (from === to)
    throw new UsageError(`--from and --to are both '${from}': promote between two environments`);
  return { from, to, apply: !values["no-apply"] };
}

/** `npm run drift` for live/<env>: its summary line when some unit's plan has changes, else undefined. */
async function pendingChanges(target: Target, env: string): Promise<string | undefined> {
  const result = await run(
    "node",
    ["--import", "tsx", path.join(repoRoot, "scripts", "src", "commands", "drift.ts"), "--env", env],
    {
      env: target.env,
    },
  );
  if (result.code === 0) return undefined;
  if (result.code === 2) return /^Drift in .*$/m.exec(result.stdout)?.[0] ?? "some units have changes";
  throw new Error(
    `the drift check of live/${env} failed (exit ${result.code}):\n${(result.stdout + result.stderr).slice(-3000)}`,
  );
}

/** Repository (without tag) by app in live/<env>, as the images unit pushes to it. */
async function repositories(target: Target, env: string): Promise<Record<App, string>> {
  // A never-applied unit has no outputs (and Terragrunt cannot resolve its dependencies' either).
  let outputs = await unitOutputs(target, env, "ecr").catch(() => ({}) as Record<string, unknown>);
  if (!outputs.repository_urls) {
    // First promotion into a fresh environment: its registry (and the units it needs) must exist first.
    await step(`Creating live/${env}'s repositories (unit ecr and its dependencies)`, () =>
      runAll(target, env, "apply", ["--filter", "ecr..."]),
    );
    outputs = await unitOutputs(target, env, "ecr");
  }
  const urls = outputs.repository_urls as Record<string, string> | undefined;
  if (!urls) throw new Error(`live/${env}/ecr has no repository_urls output`);
  const result = {} as Record<App, string>;
  for (const app of APPS) {
    const url = urls[app];
    if (!url) throw new Error(`live/${env}/ecr has no repository for ${app}`);
    // Against the emulator the images live in the local registry under the same repository paths.
    result[app] =
      target.kind === "emulator"
        ? `${target.registry ?? "127.0.0.1:5000"}/${url.split("/").slice(1).join("/")}`
        : url;
  }
  return result;
}

/** What live/<from> runs, by digest, when it is healthy; a UsageError otherwise. */
async function readHealthySource(target: Target, from: string): Promise<DeployedEnvironment> {
  const source = await step(`Reading what live/${from} runs`, () => readDeployed(target, from));
  const byTag = APPS.filter((app) => !source.services[app].digest);
  if (byTag.length > 0) {
    throw new UsageError(
      `the digests running in live/${from} are unknown: ${byTag.map((app) => `${app} runs ${source.services[app].image}`).join("; ")}. Deploy by digest (the images unit's image_uris) and promote again`,
    );
  }
  const problems = await step(`Checking that live/${from} is healthy`, () => healthProblems(target, source));
  if (problems.length > 0) {
    throw new UsageError(`live/${from} is unhealthy, nothing was promoted: ${problems.join("; ")}`);
  }
  return source;
}

/** A promotion never ships someone's pending edit: live/<to> must have no un-applied changes. */
async function checkNoPendingChanges(target: Target, to: string): Promise<void> {
  const applied = await hasState(target, to);
  if (!applied) {
    log(`live/${to} was never applied: this promotion creates it`);
    return;
  }
  const pending = await step(`Checking live/${to} for un-applied changes`, () => pendingChanges(target, to));
  if (pending) {
    throw new UsageError(
      `live/${to} has un-applied changes: apply or revert them first, then promote (${pending}; \`npm run drift -- --env ${to}\` shows them)`,
    );
  }
}

/** Copies the source's images into live/<to>'s repositories, digest for digest. */
async function copyImages(
  target: Target,
  source: DeployedEnvironment,
  to: string,
): Promise<Record<App, ReleaseImage>> {
  const destinations = await repositories(target, to);
  const images = {} as Record<App, ReleaseImage>;
  const access = await registryAccess(target, [source.env, to]);
  try {
    for (const app of APPS) {
      const service = source.services[app];
      const digest = service.digest as string;
      // The tag the image was built under (a commit in CI, a source tag from npm start) when the source's images
      // unit still knows it.
      const knownTag = source.imageTags[app]?.split(":").pop();
      const tag = knownTag ?? `promoted-${digest.slice("sha256:".length, "sha256:".length + 12)}`;
      const outcome = await step(
        `Copying ${app} ${digest.slice(0, 19)}… to ${destinations[app]}:${tag}`,
        () => copyImage(access, service.image, digest, `${destinations[app]}:${tag}`),
      );
      if (outcome === "present") console.error(`    ${destinations[app]}:${tag} already holds it`);
      images[app] = { tag, digest };
    }
  } finally {
    await access.dispose();
  }
  return images;
}

/** Adds the release to live/<to>/release.json unless it is already the current one. */
async function recordRelease(from: string, to: string, images: Record<App, ReleaseImage>): Promise<void> {
  const releases = readReleases(to);
  const current = releases.releases[0];
  if (current && APPS.every((app) => current.images[app]?.digest === images[app].digest)) {
    log(`live/${to}/release.json already names these digests`);
    return;
  }
  releases.releases.unshift({ promoted_at: new Date().toISOString(), from, images });
  await writeReleases(to, releases);
  log(`Wrote live/${to}/release.json (commit it: it is the record of what ${to} runs)`);
}

async function applyAndVerify(target: Target, to: string, images: Record<App, ReleaseImage>): Promise<void> {
  await step(`Applying live/${to}`, () => runAll(target, to, "apply"));
  const promoted = await readDeployed(target, to);
  const wrong = APPS.filter((app) => promoted.services[app].digest !== images[app].digest);
  if (wrong.length > 0) {
    throw new Error(`live/${to} does not run the promoted digests after the apply: ${wrong.join(", ")}`);
  }
  for (const app of APPS) console.log(`${to} ${app}: ${promoted.services[app].image}`);
}

async function promote(): Promise<void> {
  const { from, to, apply } = parsePromoteCommandLine();
  const target = resolveTarget();
  console.error(`Promoting live/${from} to live/${to} on ${target.description}`);
  await checkTargetReachable(target);
  const source = await readHealthySource(target, from);
  await checkNoPendingChanges(target, to);
  const images = await copyImages(target, source, to);
  await recordRelease(from, to, images);
  if (!apply) {
    console.log(
      `Recorded the release in live/${to}/release.json; apply it with: cd live/${to} && terragrunt run --all apply`,
    );
    return;
  }
  await applyAndVerify(target, to, images);
  console.log(`Promoted live/${from} to live/${to}.`);
}

runCommand(promote);
