/**
 * A short-lived (12-hour) ECR login from the standard AWS credential chain: the registry host and the user and
 * password `docker login` takes. Against the AWS emulator (AWS_ENDPOINT_URL) the emulated ECR issues it.
 */
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";

export interface EcrLogin {
  host: string;
  username: string;
  password: string;
}

/** The login for the caller's registry in region (default: the SDK's, from AWS_REGION or the profile). */
export async function ecrLogin(region?: string): Promise<EcrLogin> {
  const client = new ECRClient(region ? { region } : {});
  const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
  const data = authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) throw new Error("ECR returned no authorization data");
  const decoded = Buffer.from(data.authorizationToken, "base64").toString("utf8");
  const separator = decoded.indexOf(":");
  const [username, password] = [decoded.slice(0, separator), decoded.slice(separator + 1)];
  if (separator < 1 || !password) throw new Error("unexpected ECR token format (not user:password)");
  return { host: new URL(data.proxyEndpoint).host, username, password };
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Region to ask for a login to serverUrl (a host, or a URL as Docker passes it): an ECR host names it. */
export function regionFor(serverUrl: string, fallback: string | undefined): string | undefined {
  const host = serverUrl.includes("://") ? new URL(serverUrl).host : serverUrl.split("/")[0]!;
  return ECR_HOST.exec(host)?.[2] ?? fallback;
}
