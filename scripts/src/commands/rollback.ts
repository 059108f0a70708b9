/**
 * `npm run rollback -- --env prod`: returns an environment to its previous promoted release.
 *
 * The newest release in live/<env>/release.json moves to its "rolled_back" list, and live/<env> is applied
 * with the release before it (whose images are still in the environment's repositories: the promotion copied
 * them there, and the ECR lifecycle keeps the last releases). Commit the changed release.json.
 *
 * Usage: npm run rollback -- --env <env> [--no-apply]
 */
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import { APPS, readDeployed } from "../lib/deployed.js";
import { checkEnvironment } from "../lib/environments.js";
import { step } from "../lib/log.js";
import { readReleases, writeReleases } from "../lib/release.js";
import { checkTargetReachable, resolveTarget } from "../lib/target.js";
import { runAll } from "../lib/terragrunt.js";

const USAGE = "Usage: npm run rollback -- --env <env> [--no-apply]";

async function rollback(): Promise<void> {
  const values = parseCommandLine(
    { env: { type: "string" }, "no-apply": { type: "boolean", default: false } },
    {
      text: USAGE,
      help: `${USAGE}\nReturns live/<env> to the release promoted before its current one (live/<env>/release.json).`,
      separator: ". ",
    },
  );
  const env = checkEnvironment(values.env, "--env");
  const releases = readReleases(env);
  if (releases.releases.length === 0) {
    throw new UsageError(`live/${env} has no promoted release (live/${env}/release.json): promote one first`);
  }
  if (releases.releases.length === 1) {
    throw new UsageError(
      `live/${env} has only one promoted release: there is no previous release to return to`,
    );
  }
  const target = resolveTarget();
  console.error(`Rolling back live/${env} on ${target.description}`);
  await checkTargetReachable(target);

  const [current, previous] = releases.releases as [
    (typeof releases.releases)[0],
    (typeof releases.releases)[0],
  ];
  releases.releases.shift();
  releases.rolled_back.unshift(current);
  await writeReleases(env, releases);
  console.error(
    `==> live/${env}/release.json now names the release promoted from ${previous.from} at ${previous.promoted_at} (commit it)`,
  );
  if (values["no-apply"]) return;

  await step(`Applying live/${env}`, () => runAll(target, env, "apply"));
  const deployed = await readDeployed(target, env);
  const wrong = APPS.filter((app) => deployed.services[app].digest !== previous.images[app]?.digest);
  if (wrong.length > 0)
    throw new Error(`live/${env} does not run the previous digests after the apply: ${wrong.join(", ")}`);
  for (const app of APPS) console.log(`${env} ${app}: ${deployed.services[app].image}`);
  console.log(`Rolled live/${env} back.`);
}

runCommand(rollback);
