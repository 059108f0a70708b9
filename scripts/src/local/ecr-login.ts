/**
 * Prints the caller's ECR registry host (line 1) and a short-lived login password (line 2) for
 * `podman login --password-stdin`, using the standard AWS credential chain. Used by scripts/images.sh; the
 * password is never written to disk by this script.
 */
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";

const client = new ECRClient({});
try {
  const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
  const data = authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) throw new Error("ECR returned no authorization data");
  const [user, password] = Buffer.from(data.authorizationToken, "base64").toString("utf8").split(":");
  if (user !== "AWS" || !password) throw new Error("unexpected ECR token format");
  process.stdout.write(`${new URL(data.proxyEndpoint).host}\n${password}\n`);
} catch (error) {
  console.error(`error: could not get an ECR login token: ${(error as Error).message}`);
  process.exit(1);
}
