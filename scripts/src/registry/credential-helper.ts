/**
 * docker-credential-fas-ecr (scripts/bin): a Docker credential helper
 * (https://github.com/docker/docker-credential-helpers#development) that answers `get` with a fresh ECR login, so
 * the images unit's Docker provider reads its registry credentials from here when it starts instead of from a data
 * source kept in state (modules/images, registry_credential_helper).
 *
 * The region: from an ECR host (<account>.dkr.ecr.<region>.amazonaws.com); for any other host (a local registry
 * standing in for ECR against the emulator) FAS_ECR_REGION, which the unit sets, or the SDK's default. The token
 * is the caller's account's registry's. Nothing is stored: `store` and `erase` are refused, `list` is empty.
 */
import { ecrLogin, regionFor } from "./ecr-token.js";

async function readStdin(): Promise<string> {
  let input = "";
  for await (const chunk of process.stdin) input += String(chunk);
  return input.trim();
}

// Helpers report errors on stdout, exit 1 (what Docker's client library reads).
function fail(message: string): never {
  process.stdout.write(`${message}\n`);
  process.exit(1);
}

const action = process.argv[2];
switch (action) {
  case "get": {
    const serverUrl = await readStdin();
    if (!serverUrl) fail("docker-credential-fas-ecr get: no server URL on standard input");
    try {
      const login = await ecrLogin(regionFor(serverUrl, process.env.FAS_ECR_REGION || undefined));
      process.stdout.write(
        `${JSON.stringify({ ServerURL: serverUrl, Username: login.username, Secret: login.password })}\n`,
      );
    } catch (error) {
      fail(
        `docker-credential-fas-ecr: could not get an ECR login for ${serverUrl}: ${(error as Error).message} ` +
          "(check the AWS credentials of this run: aws sts get-caller-identity)",
      );
    }
    break;
  }
  case "list":
    process.stdout.write("{}\n");
    break;
  case "store":
  case "erase":
    fail(
      `docker-credential-fas-ecr ${action}: not supported (logins are fetched for each use, never stored)`,
    );
    break;
  default:
    fail("usage: docker-credential-fas-ecr get|list (the server URL on standard input)");
}
