import { expect } from "chai";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { run } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

// The GitHub Actions workflows users of the template run (.github/workflows) and the local actions they use
// (.github/actions/*/action.yml): actionlint finds nothing, and the properties users rely on hold.

const workflowsDir = path.join(repoRoot, ".github", "workflows");
const actionsDir = path.join(repoRoot, ".github", "actions");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  environment?: string | { name?: string };
  concurrency?: string | { group?: string; "cancel-in-progress"?: boolean | string };
  steps?: Step[];
  uses?: string;
  strategy?: unknown;
  env?: Record<string, string>;
}
interface Workflow {
  permissions?: unknown;
  jobs: Record<string, Job>;
}
interface ActionFile {
  runs?: { steps?: Step[] };
}

interface Parsed<T> {
  file: string;
  text: string;
  doc: T;
}

async function parseAll<T>(files: string[]): Promise<Parsed<T>[]> {
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, "utf8");
      return { file: path.relative(repoRoot, file), text, doc: parse(text) as T };
    }),
  );
}

const workflowFiles = existsSync(workflowsDir)
  ? (await readdir(workflowsDir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(workflowsDir, f))
  : [];
const actionFiles = existsSync(actionsDir)
  ? (await readdir(actionsDir, { recursive: true }))
      .filter((f) => /(^|\/)action\.ya?ml$/.test(f))
      .map((f) => path.join(actionsDir, f))
  : [];
const workflows = await parseAll<Workflow>(workflowFiles);
const actions = await parseAll<ActionFile>(actionFiles);

/** Every job of every workflow, named "file#job". */
const jobs = workflows.flatMap(({ file, doc }) =>
  Object.entries(doc.jobs ?? {}).map(([name, job]) => ({ id: `${file}#${name}`, job })),
);
const steps = [
  ...jobs.flatMap(({ id, job }) => (job.steps ?? []).map((step) => ({ where: id, step }))),
  ...actions.flatMap(({ file, doc }) => (doc.runs?.steps ?? []).map((step) => ({ where: file, step }))),
];
const stepsOf = (job: Job): Step[] => job.steps ?? [];
const assumesRole = (job: Job, pattern: RegExp): boolean =>
  stepsOf(job).some(
    (step) =>
      step.uses?.startsWith("aws-actions/configure-aws-credentials@") &&
      pattern.test(String(step.with?.["role-to-assume"] ?? "")),
  );
const environmentOf = (job: Job): string | undefined =>
  typeof job.environment === "string" ? job.environment : job.environment?.name;

interface Finding {
  message: string;
  filepath: string;
  line: number;
  column: number;
  kind: string;
}

/** Runs actionlint with JSON output; findings are parsed, anything unparseable fails the caller's assertion. */
async function actionlint(
  args: string[],
  cwd = repoRoot,
): Promise<{ code: number; findings: Finding[]; raw: string }> {
  const result = await run("actionlint", ["-no-color", "-format", "{{json .}}", ...args], { cwd });
  const raw = `${result.stdout}${result.stderr}`;
  const findings = result.stdout.trim() ? (JSON.parse(result.stdout) as Finding[] | null) : [];
  return { code: result.code, findings: findings ?? [], raw };
}

const pins = await readFile(path.join(repoRoot, "scripts", "pins.env"), "utf8");
const pinnedActionlint = /^ACTIONLINT_VERSION=(\S+)$/m.exec(pins)?.[1];

describe("GitHub Actions workflows", function () {
  this.timeout(2 * 60_000);

  it("finds the pull-request and deploy workflows and the local actions", () => {
    expect(workflows.map((w) => w.file)).to.include.members([
      ".github/workflows/pull-request.yml",
      ".github/workflows/deploy.yml",
    ]);
    expect(actions.length, "no .github/actions/*/action.yml").to.be.greaterThan(0);
    expect(jobs.length).to.be.greaterThan(3);
  });

  it("actionlint is the version pinned in scripts/pins.env and .tool-versions", async () => {
    expect(pinnedActionlint, "ACTIONLINT_VERSION in scripts/pins.env").to.match(/^\d+\.\d+\.\d+$/);
    const toolVersions = await readFile(path.join(repoRoot, ".tool-versions"), "utf8");
    expect(/^actionlint\s+(\S+)$/m.exec(toolVersions)?.[1], ".tool-versions' actionlint line").to.equal(
      pinnedActionlint,
    );
    const result = await run("actionlint", ["-version"]);
    expect(result.code, `actionlint -version: ${result.stderr}`).to.equal(0);
    expect(result.stdout.split("\n")[0]?.replace(/^v/, "")).to.equal(pinnedActionlint);
  });

  it("the setup-tools action installs every tool pinned in .tool-versions (setup.sh reuses them, needing no Go)", async () => {
    const toolVersions = await readFile(path.join(repoRoot, ".tool-versions"), "utf8");
    const action = await readFile(path.join(actionsDir, "setup-tools", "action.yml"), "utf8");
    // nodejs comes from actions/setup-node in each job, which reads .tool-versions itself.
    const tools = [...toolVersions.matchAll(/^(\S+)\s+\S+$/gm)]
      .map((m) => m[1])
      .filter((t) => t !== "nodejs");
    expect(tools).to.include.members(["opentofu", "terragrunt", "tflint", "terraform-docs"]);
    const missing = tools.filter((tool) => !action.includes(`$(tool ${tool})`));
    expect(missing, "tools the action does not read from .tool-versions").to.deep.equal([]);
  });

  it("actionlint reports zero findings", async () => {
    const { code, findings, raw } = await actionlint(workflowFiles.map((f) => path.relative(repoRoot, f)));
    const lines = findings.map((f) => `${f.filepath}:${f.line}:${f.column} [${f.kind}] ${f.message}`);
    expect(lines, lines.join("\n")).to.deep.equal([]);
    expect(code, raw).to.equal(0);
  });

  it("actionlint catches a broken workflow (so the check above can fail)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "actionlint-"));
    try {
      await mkdir(path.join(dir, ".github", "workflows"), { recursive: true });
      const broken = path.join(dir, ".github", "workflows", "broken.yml");
      await writeFile(
        broken,
        [
          "on: pull_request",
          "permissions:",
          "  id-token: writ", // not a permission level
          "jobs:",
          "  build:",
          "    runs-on: ubuntu-24.04",
          "    steps:",
          "      - run: echo ${{ github.event.pull_request.nonexistent_field.x }} ${{ matrix.env }}", // no matrix
          "",
        ].join("\n"),
      );
      const { code, findings, raw } = await actionlint([".github/workflows/broken.yml"], dir);
      expect(code, `actionlint should fail on the broken workflow:\n${raw}`).to.equal(1);
      const kinds = findings.map((f) => f.kind);
      expect(kinds, raw).to.include("permissions");
      expect(kinds, raw).to.include("expression");
      expect(findings.every((f) => f.filepath.endsWith("broken.yml"))).to.equal(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("every workflow grants nothing by default and every job declares its own permissions", () => {
    for (const { file, doc } of workflows) {
      expect(doc.permissions, `${file}: add 'permissions: {}' at the top`).to.deep.equal({});
    }
    const missing = jobs.filter(({ job }) => job.permissions === undefined).map(({ id }) => id);
    expect(missing, `jobs without a permissions block:\n${missing.join("\n")}`).to.deep.equal([]);
    const broad = jobs
      .filter(({ job }) => typeof job.permissions === "string" && /write-all|read-all/.test(job.permissions))
      .map(({ id }) => id);
    expect(broad, `jobs with read-all/write-all:\n${broad.join("\n")}`).to.deep.equal([]);
  });

  it("reaches AWS only through OIDC: no long-lived keys, roles from repository variables", () => {
    for (const { file, text } of [...workflows, ...actions]) {
      expect(text, file).not.to.match(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
      expect(text, file).not.to.match(/aws-access-key-id|aws-secret-access-key|aws-session-token/);
    }
    const awsJobs = jobs.filter(({ job }) => assumesRole(job, /./));
    expect(awsJobs.length, "no job assumes an AWS role").to.be.greaterThan(0);
    for (const { id, job } of awsJobs) {
      expect((job.permissions as Record<string, string>)["id-token"], `${id} needs id-token: write`).to.equal(
        "write",
      );
      for (const step of stepsOf(job).filter((s) =>
        s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
      )) {
        expect(
          String(step.with?.["role-to-assume"]),
          `${id}: role from vars.* (or a matrix of them)`,
        ).to.match(/^\$\{\{\s*(vars|env|matrix)\.[A-Z_a-z]+\s*\}\}$/);
      }
    }
  });

  it("deploys to prod only from a job behind the GitHub environment prod", () => {
    const prodJobs = jobs.filter(
      ({ job }) =>
        assumesRole(job, /AWS_PROD_(DEPLOY|RELEASE)_ROLE_ARN/) ||
        stepsOf(job).some((s) => /npm run promote/.test(s.run ?? "")),
    );
    expect(prodJobs.map(({ id }) => id)).to.deep.equal([".github/workflows/deploy.yml#promote-prod"]);
    for (const { id, job } of prodJobs) expect(environmentOf(job), id).to.equal("prod");
    const promote = stepsOf(prodJobs[0]!.job).map((s) => s.run ?? "");
    expect(promote.join("\n")).to.include("npm run promote -- --from dev --to prod");
  });

  it("each job assumes the role made for it (modules/ci-roles): deploy for dev's apply, release for promotion, plan for pull requests", () => {
    const roleVariables = (job: Job): string[] =>
      stepsOf(job)
        .filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))
        .map((s) => String(s.with?.["role-to-assume"]));
    const byJob = Object.fromEntries(
      jobs.filter(({ job }) => assumesRole(job, /./)).map(({ id, job }) => [id, roleVariables(job)]),
    );
    expect(byJob).to.deep.equal({
      ".github/workflows/deploy.yml#apply-dev": ["${{ vars.AWS_DEV_DEPLOY_ROLE_ARN }}"],
      ".github/workflows/deploy.yml#promote-prod": ["${{ vars.AWS_PROD_RELEASE_ROLE_ARN }}"],
      ".github/workflows/pull-request.yml#plan": ["${{ env.ROLE_ARN }}"],
    });
    const pullRequest = workflows.find(({ file }) => file.endsWith("pull-request.yml"))!;
    const plan = pullRequest.doc.jobs!.plan!;
    const matrix = (plan.strategy as { matrix: { include: { env: string; role: string }[] } }).matrix.include;
    expect(matrix).to.deep.equal([
      { env: "dev", role: "${{ vars.AWS_DEV_PLAN_ROLE_ARN }}" },
      { env: "prod", role: "${{ vars.AWS_PROD_PLAN_ROLE_ARN }}" },
    ]);
    expect(plan.env?.ROLE_ARN).to.equal("${{ matrix.role }}");
    // A pull request's run only plans, never holds the state lock, and leaves out the unit that needs a registry token.
    const runs = stepsOf(plan)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(runs).to.match(/terragrunt run --all --filter '!images' .*-- plan -lock=false/);
    expect(runs).not.to.match(/\bapply\b/);
    // No plan or pull-request job reaches a deploy or release role.
    expect(pullRequest.text).not.to.match(/_(DEPLOY|RELEASE)_ROLE_ARN/);
  });

  it("never cancels a deployment halfway: one concurrency group per environment", () => {
    const deployJobs = jobs.filter(({ job }) =>
      stepsOf(job).some((s) => /\bapply\b|npm run promote/.test(s.run ?? "")),
    );
    expect(deployJobs.length).to.be.greaterThan(1);
    const groups = new Set<string>();
    for (const { id, job } of deployJobs) {
      const concurrency = job.concurrency;
      expect(concurrency, `${id} needs a concurrency group`).to.be.an("object");
      const { group, "cancel-in-progress": cancel } = concurrency as {
        group: string;
        "cancel-in-progress"?: unknown;
      };
      expect(cancel, `${id}: cancel-in-progress must be false`).to.equal(false);
      groups.add(group);
    }
    expect(groups.size, "each environment has its own group").to.equal(deployJobs.length);
  });

  it("pins every action to a full commit SHA with its version in a comment (or to an exact vX.Y.Z tag)", () => {
    const sources = [...workflows, ...actions];
    const unpinned: string[] = [];
    for (const { where, step } of steps) {
      const uses = step.uses;
      if (!uses || uses.startsWith("./")) continue;
      if (uses.startsWith("docker://")) {
        if (!/@sha256:[0-9a-f]{64}$/.test(uses)) unpinned.push(`${where}: ${uses}`);
        continue;
      }
      if (/@v\d+\.\d+\.\d+$/.test(uses)) continue;
      const sha = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses);
      // The line in the file must carry the version the SHA stands for, e.g. "# v5.0.0".
      const commented = sources.some(({ text }) =>
        text.split("\n").some((line) => line.includes(uses) && /#\s*v\d+\.\d+\.\d+\b/.test(line)),
      );
      if (!sha || !commented) unpinned.push(`${where}: ${uses}`);
    }
    expect(
      unpinned,
      `pin these to a commit SHA with a "# vX.Y.Z" comment:\n${unpinned.join("\n")}`,
    ).to.deep.equal([]);
  });
});
