/**
 * The whole system on one machine, as a user runs it: `npm start` (emulator, registry, image builds, live/dev
 * applied, the task definitions run as containers), a chat round trip through the frontend's URL to a fake
 * OpenAI upstream with the key stored by `npm run secret:set`, promotion of dev's digests to prod and a
 * rollback, the commands' refusals with their exact messages, and a Ctrl-C that leaves nothing behind.
 */
import { expect } from "chai";
import { CloudWatchClient, DescribeAlarmsCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { startFakeOpenAI, type FakeOpenAI } from "@fargate-ai-stack/fake-openai";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { projectEnv, run, runOk } from "../support/exec.js";
import { interrupt, npmStart } from "../support/npm-start.js";
import { liveDir, repoRoot } from "../support/paths.js";
import { parseServerSentEvents } from "@fargate-ai-stack/test-support";

const KEY = "sk-test-system-0123456789abcdefghijklmnop";
const REPLY = "Hello from the fake upstream, through the frontend and the backend.";
const releaseFile = path.join(liveDir, "prod", "release.json");
const sessionFile = path.join(repoRoot, ".run", "local", "session.json");

interface Session {
  pid: number;
  endpoint: string;
  registry: string;
}

const commandsDir = path.join(repoRoot, "scripts", "src", "commands");

/** Runs one of the project's npm commands (its script, without npm's banner). */
function command(script: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string) {
  return run("node", ["--import", "tsx", path.join(commandsDir, `${script}.ts`), ...args], {
    env: projectEnv(env),
    timeoutMs: 20 * 60_000,
    input,
  });
}

/** Reads an SSE body into its events, their data decoded from JSON. */
function parseEvents(body: string): { event: string; data: unknown }[] {
  return parseServerSentEvents(body).map(({ event, data }) => ({ event, data: JSON.parse(data) as unknown }));
}

/** Signs in through the frontend's form as a browser without JavaScript would; the session cookie it sets. */
async function signIn(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
    body: new URLSearchParams({ intent: "password", email, password }).toString(),
    redirect: "manual",
  });
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
  if (![302, 303].includes(response.status) || cookies.length === 0) {
    throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`);
  }
  return cookies.join("; ");
}

async function chat(url: string, text: string, cookie?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ messages: [{ role: "user", content: text }] }),
  });
  return { status: response.status, body: await response.text() };
}

describe("the whole system on one machine (npm start, promote, rollback)", function () {
  let fake: FakeOpenAI;
  let start: ChildProcess | undefined;
  let output = () => "";
  let appUrl = "";
  let cookie = "";
  let session: Session;
  let ecs: ECSClient;
  let savedRelease: string | undefined;

  const digests = async (env: string) => {
    const result: Record<string, string> = {};
    for (const app of ["frontend", "backend"]) {
      const { services = [] } = await ecs.send(
        new DescribeServicesCommand({
          cluster: `fargate-ai-stack-${env}`,
          services: [`fargate-ai-stack-${env}-${app}`],
        }),
      );
      const { taskDefinition } = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: services[0]?.taskDefinition }),
      );
      result[app] = taskDefinition?.containerDefinitions?.[0]?.image ?? "";
    }
    return result;
  };
  const digestOf = (image: string) => /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1];

  before(async function () {
    this.timeout(40 * 60_000);
    savedRelease = existsSync(releaseFile) ? readFileSync(releaseFile, "utf8") : undefined;
    await rm(releaseFile, { force: true });
    fake = await startFakeOpenAI({ expectedKey: KEY, reply: REPLY });
    // --fresh: the apply itself is under test here (a snapshot of an earlier start would be restored); the
    // warm start at the end restores the snapshot this one saves.
    const first = await npmStart(["--fresh"], { OPENAI_BASE_URL: fake.url });
    start = first.child;
    output = () => first.output;
    appUrl = first.appUrl;
    session = JSON.parse(readFileSync(sessionFile, "utf8")) as Session;
    ecs = new ECSClient({
      region: "us-east-1",
      endpoint: session.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });

  after(async function () {
    this.timeout(120_000);
    if (start?.pid && start.exitCode === null) {
      process.kill(-start.pid, "SIGINT");
      await new Promise((resolve) => start?.once("exit", resolve));
    }
    await fake?.close();
    if (savedRelease === undefined) await rm(releaseFile, { force: true });
    else await writeFile(releaseFile, savedRelease);
  });

  it("prints the app URL, the backend's Cloud Map name and a status table of healthy containers", function () {
    expect(appUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output()).to.include("Backend DNS name (Cloud Map): backend.dev.fargate-ai-stack.local");
    expect(output()).to.match(/backend\s+fargate-ai-stack-dev-backend\s+running\s+healthy/);
    expect(output()).to.match(/frontend\s+fargate-ai-stack-dev-frontend\s+running\s+healthy/);
    expect(output()).to.match(/terragrunt run --all apply in live\/dev: done in [\d.]+s/);
  });

  it("runs each container as its task definition in the emulator describes it", async function () {
    const images = await digests("dev");
    for (const app of ["frontend", "backend"]) {
      const inspected = JSON.parse(
        (await runOk("podman", ["inspect", `fargate-ai-stack-dev-${app}`], { env: projectEnv() })).stdout,
      ) as Array<{
        ImageName: string;
        Image: string;
        Config: { User: string; Env: string[] };
        HostConfig: { ReadonlyRootfs: boolean };
        NetworkSettings: { Networks: Record<string, { Aliases?: string[] }> };
      }>;
      const container = inspected[0]!;
      expect(digestOf(images[app] ?? ""), `${app} task definition image`).to.be.a("string");
      expect(container.ImageName, `${app} runs the task definition's image, by digest`).to.equal(images[app]);
      const image = JSON.parse(
        (await runOk("podman", ["image", "inspect", container.Image], { env: projectEnv() })).stdout,
      ) as Array<{ RepoDigests: string[] }>;
      expect(image[0]?.RepoDigests, `${app} image came from the registry by that digest`).to.include(
        images[app],
      );
      expect(container.Config.User).to.equal("1000:1000");
      expect(container.HostConfig.ReadonlyRootfs).to.equal(true);
      if (app === "backend") {
        expect(container.NetworkSettings.Networks["fargate-ai-stack-dev"]?.Aliases).to.include(
          "backend.dev.fargate-ai-stack.local",
        );
        // Only the secret's ARN reaches the backend, never a key.
        expect(
          container.Config.Env.some((v) => v.startsWith("OPENAI_SECRET_ID=arn:aws:secretsmanager:")),
        ).to.equal(true);
        expect(container.Config.Env.some((v) => v.startsWith("OPENAI_API_KEY="))).to.equal(false);
      } else {
        expect(container.Config.Env).to.include("BACKEND_URL=http://backend.dev.fargate-ai-stack.local:4000");
      }
    }
  });

  it("prints how to sign in; the app wants an account, and the printed one signs in", async function () {
    const printed = /Sign in as (\S+) with the password (\S+) \(a user of the emulator only/.exec(output());
    expect(printed, "npm start says how to sign in").to.not.equal(null);
    const page = await fetch(appUrl, { redirect: "manual" });
    expect(page.status).to.be.oneOf([302, 303]);
    expect(page.headers.get("location")).to.match(/^\/sign-in(\?|$)/);
    const anonymous = await chat(appUrl, "Hello?");
    expect(anonymous.status).to.equal(401);
    expect((JSON.parse(anonymous.body) as { error: { code: string } }).error.code).to.equal("not_signed_in");
    cookie = await signIn(appUrl, printed![1]!, printed![2]!);
    const signedIn = await fetch(appUrl, { headers: { cookie }, redirect: "manual" });
    expect(signedIn.status).to.equal(200);
  });

  it("without a key, the chat says how to set one", async function () {
    const { status, body } = await chat(appUrl, "Hello?", cookie);
    expect(status).to.equal(503);
    const error = (JSON.parse(body) as { error: { code: string; message: string } }).error;
    expect(error.code).to.equal("openai_key_missing");
    expect(error.message).to.include("npm run secret:set").and.include("OPENAI_BASE_URL");
  });

  it("stores the key with npm run secret:set and streams a chat reply through the frontend URL", async function () {
    this.timeout(120_000);
    const stored = await command("secret-set", ["--env", "dev"], {}, KEY);
    expect(stored.code, stored.stderr).to.equal(0);
    expect(stored.stderr).to.include("local emulator of `npm start`");
    expect(stored.stdout + stored.stderr).to.not.include(KEY);
    // The backend asks Secrets Manager again after a short back-off.
    let events: { event: string; data: unknown }[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { status, body } = await chat(appUrl, "Say hello", cookie);
      if (status === 200) {
        events = parseEvents(body);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(events.map((e) => e.event)[0]).to.equal("meta");
    expect(events.at(-1)?.event).to.equal("done");
    const text = events
      .filter((e) => e.event === "delta")
      .map((e) => (e.data as { text: string }).text)
      .join("");
    expect(text).to.equal(REPLY);
    // The fake upstream accepted only this key: it came from Secrets Manager through the backend.
    const last = fake.requests.filter((r) => r.path.endsWith("/chat/completions")).at(-1);
    expect(last?.headers.authorization).to.equal(`Bearer ${KEY}`);
  });

  it("refuses bad input with clear messages", async function () {
    this.timeout(300_000);
    const unknown = await command("promote", ["--from", "dev", "--to", "staging"]);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr.trim()).to.equal("error: unknown environment 'staging': use one of dev, prod");

    const same = await command("promote", ["--from", "dev", "--to", "dev"]);
    expect(same.code).to.equal(2);
    expect(same.stderr.trim()).to.equal(
      "error: --from and --to are both 'dev': promote between two environments",
    );

    const missing = await command("promote", ["--to", "prod"]);
    expect(missing.stderr.trim()).to.equal("error: --from is required: use one of dev, prod");

    const down = await command("promote", ["--from", "dev", "--to", "prod"], {
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
    });
    expect(down.code).to.equal(2);
    expect(down.stderr).to.include(
      "error: the AWS emulator at http://127.0.0.1:9 does not answer: start it with `npm start` (or scripts/moto.sh start), or unset AWS_ENDPOINT_URL to use real AWS",
    );

    const nothing = await command("rollback", ["--env", "prod"]);
    expect(nothing.code).to.equal(2);
    expect(nothing.stderr.trim()).to.equal(
      "error: live/prod has no promoted release (live/prod/release.json): promote one first",
    );

    const deployHere = await command("deploy", ["--env", "dev"], { AWS_ENDPOINT_URL: "http://127.0.0.1:9" });
    expect(deployHere.code).to.equal(2);
    expect(deployHere.stderr.trim()).to.equal(
      "error: AWS_ENDPOINT_URL is set (http://127.0.0.1:9): deploy targets real AWS; on this machine use `npm start`",
    );

    const badPort = await run("node", ["--import", "tsx", "scripts/src/commands/start.ts", "--port", "80"], {
      env: projectEnv(),
    });
    expect(badPort.code).to.equal(2);
    expect(badPort.stderr.trim()).to.equal("error: --port must be a number from 1024 to 65535 (got '80')");
  });

  it("refuses to promote an unhealthy dev (an alarm in ALARM)", async function () {
    this.timeout(300_000);
    const cloudwatch = new CloudWatchClient({
      region: "us-east-1",
      endpoint: session.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const { MetricAlarms = [] } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: "fargate-ai-stack-dev" }),
    );
    const alarm = MetricAlarms[0]?.AlarmName;
    expect(alarm, "dev has alarms").to.be.a("string");
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: alarm, StateValue: "ALARM", StateReason: "test" }),
    );
    try {
      const refused = await command("promote", ["--from", "dev", "--to", "prod"]);
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.include(
        `error: live/dev is unhealthy, nothing was promoted: alarm ${alarm} is in ALARM`,
      );
      expect(existsSync(releaseFile)).to.equal(false);
    } finally {
      await cloudwatch.send(
        new SetAlarmStateCommand({ AlarmName: alarm, StateValue: "OK", StateReason: "test" }),
      );
    }
  });

  it("refuses to promote when dev runs an image by tag (digests unknown)", async function () {
    this.timeout(300_000);
    const service = `fargate-ai-stack-dev-backend`;
    const { services = [] } = await ecs.send(
      new DescribeServicesCommand({ cluster: "fargate-ai-stack-dev", services: [service] }),
    );
    const original = services[0]?.taskDefinition ?? "";
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: original }),
    );
    const byTag = (taskDefinition?.containerDefinitions?.[0]?.image ?? "").replace(/@sha256:.*$/, ":latest");
    const input = {
      family: taskDefinition?.family,
      containerDefinitions: taskDefinition?.containerDefinitions?.map((c) => ({ ...c, image: byTag })),
      requiresCompatibilities: taskDefinition?.requiresCompatibilities,
      networkMode: taskDefinition?.networkMode,
      cpu: taskDefinition?.cpu,
      memory: taskDefinition?.memory,
      executionRoleArn: taskDefinition?.executionRoleArn,
      taskRoleArn: taskDefinition?.taskRoleArn,
    } as RegisterTaskDefinitionCommandInput;
    const registered = await ecs.send(new RegisterTaskDefinitionCommand(input));
    await ecs.send(
      new UpdateServiceCommand({
        cluster: "fargate-ai-stack-dev",
        service,
        taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      }),
    );
    try {
      const refused = await command("promote", ["--from", "dev", "--to", "prod"]);
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.include(
        `error: the digests running in live/dev are unknown: backend runs ${byTag}`,
      );
    } finally {
      await ecs.send(
        new UpdateServiceCommand({ cluster: "fargate-ai-stack-dev", service, taskDefinition: original }),
      );
    }
  });

  let firstRelease: Record<string, string> = {};

  it("promotes exactly dev's digests to prod, recorded in live/prod/release.json", async function () {
    this.timeout(30 * 60_000);
    const dev = await digests("dev");
    const promoted = await command("promote", ["--from", "dev", "--to", "prod"]);
    expect(promoted.code, promoted.stderr.slice(-4000)).to.equal(0);
    const prod = await digests("prod");
    for (const app of ["frontend", "backend"]) {
      expect(prod[app], `prod ${app}`).to.match(new RegExp(`/fargate-ai-stack-prod-${app}@sha256:`));
      expect(digestOf(prod[app] ?? ""), `prod ${app} runs dev's digest`).to.equal(digestOf(dev[app] ?? ""));
    }
    const release = JSON.parse(readFileSync(releaseFile, "utf8")) as {
      releases: { from: string; images: Record<string, { digest: string }> }[];
    };
    expect(release.releases).to.have.length(1);
    expect(release.releases[0]?.from).to.equal("dev");
    expect(release.releases[0]?.images.backend?.digest).to.equal(digestOf(dev.backend ?? ""));
    firstRelease = prod;
  });

  it("refuses to promote while prod has un-applied changes", async function () {
    this.timeout(15 * 60_000);
    const { services = [] } = await ecs.send(
      new DescribeServicesCommand({
        cluster: "fargate-ai-stack-prod",
        services: ["fargate-ai-stack-prod-backend"],
      }),
    );
    const arn = services[0]?.serviceArn ?? "";
    // An out-of-band change (a tag the configuration does not have): the next plan wants to undo it.
    await ecs.send(
      new TagResourceCommand({ resourceArn: arn, tags: [{ key: "edited-by-hand", value: "yes" }] }),
    );
    try {
      const refused = await command("promote", ["--from", "dev", "--to", "prod"]);
      expect(refused.code).to.equal(2);
      expect(refused.stderr, refused.stderr).to.match(
        /error: live\/prod has un-applied changes: apply or revert them first, then promote \(Drift in live\/prod: \d+ of 13 units have changes: [^(]*\bbackend\b/,
      );
    } finally {
      await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["edited-by-hand"] }));
    }
    const { tags = [] } = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags.map((t) => t.key)).to.not.include("edited-by-hand");
  });

  it("promotes a second release, then rolls prod back to the first", async function () {
    this.timeout(40 * 60_000);
    // A new dev release, as the next commit would make it: npm start's images with another revision label
    // (new digests), built under the next commit's tag, then dev applied with that tag.
    const sessionEnv = (JSON.parse(readFileSync(sessionFile, "utf8")) as { env: Record<string, string> }).env;
    // A tag of its own per run: the local registry outlives a run and its tags are immutable, so a fixed one
    // would refuse the next run's differently built images.
    const tag = randomBytes(6).toString("hex");
    const arch = process.arch === "arm64" ? "arm64" : "amd64";
    const scratch = await mkdtemp(path.join(os.tmpdir(), "fas-next-release-"));
    try {
      for (const app of ["frontend", "backend"]) {
        await writeFile(
          path.join(scratch, "Containerfile"),
          `FROM localhost/fargate-ai-stack/${app}:${sessionEnv.IMAGE_TAG}-${arch}\nLABEL org.opencontainers.image.revision=${tag}\n`,
        );
        await runOk(
          "podman",
          ["build", "--quiet", "-t", `localhost/fargate-ai-stack/${app}:${tag}-${arch}`, scratch],
          {
            env: projectEnv(),
          },
        );
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    const applied = await run(
      "terragrunt",
      ["run", "--all", "--non-interactive", "apply", "--", "-auto-approve", "-no-color"],
      {
        cwd: path.join(liveDir, "dev"),
        env: projectEnv({ ...sessionEnv, IMAGE_TAG: tag }),
        timeoutMs: 30 * 60_000,
      },
    );
    expect(applied.code, applied.stderr.slice(-4000)).to.equal(0);
    const dev = await digests("dev");
    expect(digestOf(dev.backend ?? "")).to.not.equal(digestOf(firstRelease.backend ?? ""));

    const promoted = await command("promote", ["--from", "dev", "--to", "prod"]);
    expect(promoted.code, promoted.stderr.slice(-4000)).to.equal(0);
    expect(digestOf((await digests("prod")).backend ?? "")).to.equal(digestOf(dev.backend ?? ""));

    const rolledBack = await command("rollback", ["--env", "prod"]);
    expect(rolledBack.code, rolledBack.stderr.slice(-4000)).to.equal(0);
    const prod = await digests("prod");
    for (const app of ["frontend", "backend"]) {
      expect(digestOf(prod[app] ?? ""), `prod ${app} is back on the first release`).to.equal(
        digestOf(firstRelease[app] ?? ""),
      );
    }
    const release = JSON.parse(readFileSync(releaseFile, "utf8")) as {
      releases: unknown[];
      rolled_back: unknown[];
    };
    expect(release.releases).to.have.length(1);
    expect(release.rolled_back).to.have.length(1);
  });

  it("Ctrl-C tears everything down: no process, container or network of ours remains", async function () {
    this.timeout(180_000);
    expect(await interrupt(start as ChildProcess)).to.equal(0);
    expect(output()).to.include("Stopped. Nothing is left running.");
    const containers = await runOk(
      "podman",
      ["ps", "-aq", "--filter", "label=io.github.fargate-ai-stack.env=dev"],
      {
        env: projectEnv(),
      },
    );
    expect(containers.stdout.trim()).to.equal("");
    const networks = await runOk("podman", ["network", "ls", "--format", "{{.Name}}"], { env: projectEnv() });
    expect(networks.stdout.split("\n")).to.not.include("fargate-ai-stack-dev");
    const processes = await run("pgrep", [
      "-af",
      `${session.endpoint.split(":").pop()}|${session.registry}|${repoRoot}/.run/local/podman.sock`,
    ]);
    expect(processes.stdout.trim(), "no emulator, registry or Podman API process").to.equal("");
    expect(existsSync(sessionFile)).to.equal(false);
    const answering = await fetch(`${session.endpoint}/moto-api/config`).then(
      () => true,
      () => false,
    );
    expect(answering).to.equal(false);
  });

  it("a second npm start with nothing changed restores live/dev from its snapshot: no apply, the same task definitions, healthy", async function () {
    this.timeout(15 * 60_000);
    const warm = await npmStart([], { OPENAI_BASE_URL: fake.url });
    try {
      expect(warm.output).to.match(/live\/dev restored in [\d.]+s from the emulator's snapshot/);
      expect(warm.output).to.not.include("terragrunt run --all apply");
      expect(warm.output).to.match(/backend\s+fargate-ai-stack-dev-backend\s+running\s+healthy/);
      expect(warm.output).to.match(/frontend\s+fargate-ai-stack-dev-frontend\s+running\s+healthy/);
      const restored = JSON.parse(readFileSync(sessionFile, "utf8")) as Session;
      ecs = new ECSClient({
        region: "us-east-1",
        endpoint: restored.endpoint,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      // The first start's images: the snapshot is of its apply, not of the later apply with the next release.
      const restoredDev = await digests("dev");
      for (const app of ["frontend", "backend"]) {
        expect(digestOf(restoredDev[app] ?? ""), `dev ${app}`).to.equal(digestOf(firstRelease[app] ?? ""));
      }
      // The local user is there again, with the same password (a browser's saved one keeps working).
      const printed = /Sign in as (\S+) with the password (\S+) \(/.exec(warm.output);
      expect(printed?.slice(1)).to.deep.equal(
        /Sign in as (\S+) with the password (\S+) \(/.exec(output())?.slice(1),
      );
      const warmCookie = await signIn(warm.appUrl, printed![1]!, printed![2]!);
      const page = await fetch(warm.appUrl, { headers: { cookie: warmCookie }, redirect: "manual" });
      expect(page.status).to.equal(200);
    } finally {
      expect(await interrupt(warm.child)).to.equal(0);
    }
  });
});
