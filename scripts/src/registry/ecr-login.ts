/**
 * Prints the caller's ECR registry host (line 1) and a short-lived login password (line 2) for
 * `podman login --password-stdin`, using the standard AWS credential chain. Used by scripts/images.sh; the
 * password is never written to disk by this script.
 */
import { ecrLogin } from "./ecr-token.js";

try {
  const login = await ecrLogin();
  process.stdout.write(`${login.host}\n${login.password}\n`);
} catch (error) {
  console.error(`error: could not get an ECR login token: ${(error as Error).message}`);
  process.exit(1);
}
