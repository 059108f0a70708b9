/**
 * HTTPS is mandatory in production (README "HTTPS"): live/prod refuses to plan its load balancer without a
 * certificate and says how to get one; with the emulator's stand-in domain (scripts/src/local/hosted-zone.ts) the
 * same files plan an ACM certificate, its DNS validation, the alias record and HTTPS-only listeners. What an apply
 * of prod makes (the listeners read back) is checked in live-prod.test.ts (test/support/live-env.ts). Also the two
 * emulator facts that local path stands on.
 */
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { localHostedZone, useLocalHostedZone } from "../../scripts/src/local/hosted-zone.js";
import { projectEnv, run } from "../support/exec.js";
import { copyCheckout } from "../support/live-env.js";

/** A call to the emulator in the shape of a signed AWS request (moto routes by the signature's service name). */
async function aws(url: string, service: string, request: RequestInit & { path?: string }): Promise<string> {
  const response = await fetch(`${url}${request.path ?? "/"}`, {
    ...request,
    headers: {
      Authorization: `AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      ...request.headers,
    },
  });
  const body = await response.text();
  expect(response.status, body).to.equal(200);
  return body;
}

const acm = (url: string, action: string, body: unknown) =>
  aws(url, "acm", {
    method: "POST",
    headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `CertificateManager.${action}` },
    body: JSON.stringify(body),
  }).then((text) => JSON.parse(text) as Record<string, Record<string, unknown>>);

/** Error output as one line: OpenTofu wraps a message over boxed lines. */
const flat = (text: string) => text.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");

describe("HTTPS is mandatory in production", function () {
  this.timeout(30 * 60_000);
  let emulator: Emulator;
  let work: string;
  let albUnit: string;

  before(async function () {
    this.timeout(5 * 60_000);
    emulator = await startEmulator();
    work = await mkdtemp(path.join(os.tmpdir(), "fas-https-"));
    await copyCheckout(path.join(work, "checkout"));
    albUnit = path.join(work, "checkout", "live", "prod", "alb");
    // The alb unit plans on the vpc unit's mock outputs, which Terragrunt reads from its (empty) state: init it.
    const init = await terragrunt("vpc", "init");
    expect(init.code, flat(init.stdout + init.stderr).slice(-3000)).to.equal(0);
  });

  after(async function () {
    this.timeout(2 * 60_000);
    await emulator?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const terragrunt = (unit: string, command: string, extra: NodeJS.ProcessEnv = {}) => {
    const env = projectEnv({ ...emulator.env, AWS_REGION: "us-east-1", ...extra });
    if (!("FAS_LOCAL_HOSTED_ZONE" in extra)) delete env.FAS_LOCAL_HOSTED_ZONE;
    return run("terragrunt", [command, "--non-interactive", "-input=false", "-no-color", "-lock=false"], {
      cwd: path.join(albUnit, "..", unit),
      env,
    });
  };
  const planAlb = (extra: NodeJS.ProcessEnv) => terragrunt("alb", "plan", extra);

  it("the emulator issues a requested certificate at once (the launcher sets MOTO_ACM_VALIDATION_WAIT=0)", async () => {
    const requested = await acm(emulator.url, "RequestCertificate", {
      DomainName: "issued.fargate-ai-stack.test",
      ValidationMethod: "DNS",
    });
    const described = await acm(emulator.url, "DescribeCertificate", {
      CertificateArn: requested.CertificateArn,
    });
    expect(described.Certificate?.Status).to.equal("ISSUED");
  });

  it("useLocalHostedZone makes the emulator's public zone once, however often it is called", async () => {
    expect(localHostedZone).to.match(/\.test$/);
    expect(await useLocalHostedZone(emulator.url)).to.deep.equal({ FAS_LOCAL_HOSTED_ZONE: localHostedZone });
    await useLocalHostedZone(emulator.url);
    const zones = await aws(emulator.url, "route53", { path: "/2013-04-01/hostedzone" });
    expect(zones.match(/<Name>[^<]*<\/Name>/g)).to.deep.equal([`<Name>${localHostedZone}.</Name>`]);
    expect(zones).to.include("<PrivateZone>false</PrivateZone>");
  });

  it("planning live/prod's alb unit without a certificate fails, saying how to get one", async () => {
    const result = await planAlb({});
    const output = flat(result.stdout + result.stderr);
    expect(result.code, output.slice(-3000)).to.not.equal(0);
    expect(output).to.include(
      "HTTPS is required (require_https; production = true in live/<env>/env.hcl) but no certificate is given",
    );
    expect(output).to.include(
      "In live/<env>/env.hcl these are alb_certificate_arn, or alb_domain_name and alb_hosted_zone.",
    );
  });

  it("with a domain in a hosted zone, the same files plan a DNS-validated certificate, the alias and HTTPS only", async () => {
    const result = await planAlb(await useLocalHostedZone(emulator.url));
    const output = result.stdout + result.stderr;
    expect(result.code, flat(output).slice(-3000)).to.equal(0);
    for (const resource of [
      "aws_acm_certificate.this[0]",
      'aws_route53_record.validation["prod.fargate-ai-stack.test"]',
      "aws_acm_certificate_validation.this[0]",
      "aws_route53_record.alias[0]",
      'aws_lb_listener.forward["HTTPS"]',
      "aws_lb_listener.http_redirect[0]",
    ]) {
      expect(output).to.include(`# ${resource} will be created`);
    }
    expect(output).to.not.include('aws_lb_listener.forward["HTTP"]');
    expect(output).to.match(/url\s+= "https:\/\/prod\.fargate-ai-stack\.test"/);
  });
});
