/**
 * The emulator's stand-in for your domain: a public Route 53 hosted zone with a name reserved for testing (RFC 2606
 * `.test`, never a real domain). An environment that requires HTTPS (production) gets `<env>.<zone>` in it from
 * live/_envcommon/alb.hcl when FAS_LOCAL_HOSTED_ZONE names it, so the alb unit's real path runs against the
 * emulator: an ACM certificate validated by DNS records in the zone, HTTPS listeners, an alias record. Real AWS
 * never sees it: alb.hcl reads the variable only with AWS_ENDPOINT_URL set.
 */

export const localHostedZone = "fargate-ai-stack.test";

const api = "2013-04-01";
// moto routes a request by its signature's service name and checks no signature (this only ever talks to it).
const headers = {
  Authorization:
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=0",
};

async function route53(endpoint: string, path: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(`${endpoint}/${api}/${path}`, {
    ...init,
    headers: { ...headers, ...init.headers },
  });
  const body = await response.text();
  if (!response.ok)
    throw new Error(`Route 53 ${path} answered HTTP ${response.status} in the emulator: ${body}`);
  return body;
}

/**
 * Makes the local hosted zone in the emulator at endpoint unless it is there, and returns the environment variables
 * that let live/ use it. Call it before every apply or plan of an environment in a fresh or reset emulator.
 */
export async function useLocalHostedZone(endpoint: string): Promise<{ FAS_LOCAL_HOSTED_ZONE: string }> {
  const listed = await route53(endpoint, `hostedzonesbyname?dnsname=${localHostedZone}&maxitems=1`);
  if (!listed.includes(`<Name>${localHostedZone}.</Name>`)) {
    await route53(endpoint, "hostedzone", {
      method: "POST",
      headers: { "Content-Type": "application/xml" },
      body: `<?xml version="1.0" encoding="UTF-8"?>
<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/${api}/">
  <Name>${localHostedZone}</Name>
  <CallerReference>fargate-ai-stack-local-${Date.now()}</CallerReference>
  <HostedZoneConfig><Comment>The emulator's stand-in domain (scripts/src/local/hosted-zone.ts)</Comment></HostedZoneConfig>
</CreateHostedZoneRequest>`,
    });
  }
  return { FAS_LOCAL_HOSTED_ZONE: localHostedZone };
}
