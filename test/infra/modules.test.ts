import { expect } from "chai";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";
import { projectEnv, run, runOk } from "../support/exec.js";
import { liveDir, modulesDir, repoRoot } from "../support/paths.js";

const moduleNames = (await readdir(modulesDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory() && existsSync(path.join(modulesDir, entry.name, "versions.tf")))
  .map((entry) => entry.name)
  .sort();

const REQUIRED_FILES = ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"];

describe("modules: static checks", function () {
  this.timeout(10 * 60_000);

  it("finds the modules", () => {
    expect(moduleNames).to.include("vpc");
  });

  it("OpenTofu formatting is canonical (tofu fmt -check)", async () => {
    const result = await run("tofu", ["fmt", "-check", "-recursive", "-diff", modulesDir]);
    expect(result.code, `files need 'tofu fmt -recursive modules':\n${result.stdout}`).to.equal(0);
  });

  it("Terragrunt files are canonically formatted (terragrunt hcl fmt --check)", async () => {
    for (const file of ["terragrunt.hcl"]) {
      const result = await run("terragrunt", ["hcl", "fmt", "--check", "--file", file], { cwd: repoRoot });
      expect(result.code, `${file} needs 'terragrunt hcl fmt':\n${result.stdout}${result.stderr}`).to.equal(
        0,
      );
    }
    const result = await run("terragrunt", ["hcl", "fmt", "--check"], { cwd: liveDir });
    expect(result.code, `live/ needs 'terragrunt hcl fmt':\n${result.stdout}${result.stderr}`).to.equal(0);
  });

  it("tfsec reports zero findings on modules/", async () => {
    // tfsec 1.28 (in maintenance) predates OpenTofu's ephemeral blocks and cannot parse a file holding one: it
    // skips such files (--ignore-hcl-errors) and scans the rest of their module. The test below keeps those files
    // to ephemeral blocks alone, so nothing tfsec checks is ever skipped with them.
    const result = await run("tfsec", [
      modulesDir,
      "--format",
      "json",
      "--no-color",
      "--soft-fail",
      "--ignore-hcl-errors",
    ]);
    const report = JSON.parse(result.stdout) as {
      results: Array<{
        rule_id: string;
        location: { filename: string; start_line: number };
        description: string;
      }> | null;
    };
    const findings = (report.results ?? []).map(
      (finding) =>
        `${finding.rule_id} ${path.relative(repoRoot, finding.location.filename)}:${finding.location.start_line} ${finding.description}`,
    );
    expect(findings, findings.join("\n")).to.deep.equal([]);
  });

  it("a file with an ephemeral block holds nothing but ephemeral blocks (tfsec cannot parse it and skips it)", async () => {
    const mixed: string[] = [];
    for (const name of moduleNames) {
      const dir = path.join(modulesDir, name);
      for (const file of (await readdir(dir)).filter((f) => f.endsWith(".tf"))) {
        const text = await readFile(path.join(dir, file), "utf8");
        if (!/^ephemeral\s+"/m.test(text)) continue;
        const others = text.match(
          /^(resource|data|module|variable|output|locals|moved|removed|import|check|terraform|provider)\b/gm,
        );
        if (others) mixed.push(`modules/${name}/${file}: ${[...new Set(others)].join(", ")}`);
      }
    }
    expect(
      mixed,
      `move these blocks out of the files with ephemeral blocks:\n${mixed.join("\n")}`,
    ).to.deep.equal([]);
  });

  it("every inline tfsec ignore carries its reason in the comment above it", async () => {
    const unexplained: string[] = [];
    for (const name of moduleNames) {
      const dir = path.join(modulesDir, name);
      for (const file of (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".tf"))) {
        const lines = (await readFile(path.join(dir, file), "utf8")).split("\n");
        lines.forEach((line, index) => {
          if (!/tfsec:ignore:/.test(line)) return;
          // The comment block right above the ignore must contain "# Why: <reason>".
          let above = index - 1;
          let explained = false;
          while (above >= 0 && /^\s*#/.test(lines[above] ?? "")) {
            if (/#\s*Why:\s*\S/.test(lines[above] ?? "")) explained = true;
            above -= 1;
          }
          if (!explained) unexplained.push(`modules/${name}/${file}:${index + 1}`);
        });
      }
    }
    expect(
      unexplained,
      `add a "# Why: ..." comment right above each ignore:\n${unexplained.join("\n")}`,
    ).to.deep.equal([]);
  });

  for (const name of moduleNames) {
    describe(`module ${name}`, () => {
      const dir = path.join(modulesDir, name);

      it("has the conventional files", () => {
        const missing = REQUIRED_FILES.filter((file) => !existsSync(path.join(dir, file)));
        expect(missing, `modules/${name} lacks ${missing.join(", ")}`).to.deep.equal([]);
      });

      it("declares every variable with a type, a description and (for strings and numbers) a validation", async () => {
        const source = await readFile(path.join(dir, "variables.tf"), "utf8");
        const blocks = source.split(/^variable /m).slice(1);
        expect(blocks.length).to.be.greaterThan(0);
        for (const block of blocks) {
          const variable = block.slice(0, block.indexOf(" "));
          expect(block, `variable ${variable} needs a description`).to.match(/\n\s+description\s+=/);
          expect(block, `variable ${variable} needs a type`).to.match(/\n\s+type\s+=/);
          if (/\n\s+type\s+=\s+(string|number)\s*\n/.test(block)) {
            expect(block, `variable ${variable} (a string or number) needs a validation block`).to.match(
              /\n\s+validation\s+\{/,
            );
          }
        }
      });

      it("initialises, validates and passes `tofu test`", async () => {
        await runOk("tofu", ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir });
        await runOk("tofu", ["validate", "-no-color"], { cwd: dir });
        const result = await runOk("tofu", ["test", "-no-color"], { cwd: dir });
        expect(result.stdout).to.match(/Success! \d+ passed, 0 failed/);
      });
    });
  }
});

// The session cookie key of modules/auth comes from an ephemeral random password into a write-only attribute: applied
// against the emulator (moto implements GetRandomPassword and Cognito), the value is in Secrets Manager and nowhere
// in the state or the plan. modules/budgets is applied beside it.
describe("modules: auth and budgets applied against the emulator", function () {
  this.timeout(10 * 60_000);

  let emulator: Emulator;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const name = "fas-modtest";
  const tofu = (args: string[]) => runOk("tofu", [...args, "-no-color"], { cwd: work, env });

  before(async () => {
    emulator = await startEmulator();
    work = await mkdtemp(path.join(os.tmpdir(), "fas-auth-"));
    env = projectEnv(emulator.env);
    await cp(modulesDir, path.join(work, "modules"), {
      recursive: true,
      filter: (src) => !src.includes(".terraform"),
    });
    await writeFile(
      path.join(work, "main.tf"),
      `
provider "aws" {
  region = "us-east-1"
}

module "auth" {
  source                       = "./modules/auth"
  name                         = "${name}"
  mfa                          = "OPTIONAL"
  deletion_protection          = false
  recovery_window_in_days      = 0
  kms_key_deletion_window_days = 7
  reader_role_names            = ["${name}-frontend-execution"]
}

module "budgets" {
  source                       = "./modules/budgets"
  name                         = "${name}"
  point_in_time_recovery       = false
  deletion_protection          = false
  kms_key_deletion_window_days = 7
}

output "auth" {
  value = module.auth
}

output "budgets" {
  value = module.budgets
}
`,
    );
    await tofu(["init", "-input=false"]);
  });

  after(async () => {
    await emulator?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("applies; the outputs follow the contract", async () => {
    await tofu(["apply", "-auto-approve", "-input=false"]);
    const outputs = JSON.parse((await tofu(["output", "-json"])).stdout) as Record<
      string,
      { value: Record<string, string> }
    >;
    const auth = outputs.auth!.value;
    expect(Object.keys(auth).sort()).to.deep.equal([
      "client_id",
      "issuer",
      "session_secret_arn",
      "session_secret_kms_key_arn",
      "user_pool_arn",
      "user_pool_id",
    ]);
    expect(auth.user_pool_id).to.match(/^us-east-1_\w+$/);
    expect(auth.issuer).to.equal(`https://cognito-idp.us-east-1.amazonaws.com/${auth.user_pool_id}`);
    expect(auth.session_secret_arn).to.match(new RegExp(`:secret:${name}/session-secret-`));
    expect(outputs.budgets!.value).to.deep.include({ table_name: `${name}-budgets` });
    expect(outputs.budgets!.value.table_arn).to.match(new RegExp(`:table/${name}-budgets$`));
  });

  it("writes a random session key that is in neither the state nor a plan", async () => {
    const secrets = new SecretsManagerClient({
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const value = (await secrets.send(new GetSecretValueCommand({ SecretId: `${name}/session-secret` })))
      .SecretString!;
    expect(value, "64 random characters").to.match(/^[A-Za-z0-9]{64}$/);
    const state = await readFile(path.join(work, "terraform.tfstate"), "utf8");
    expect(state.length).to.be.greaterThan(1000);
    expect(state.includes(value), "the session key is in the state").to.equal(false);
    expect(state).to.include('"secret_string_wo_version": 1');
    // A second plan is clean (the random password is opened anew, and write-only values cause no change) and
    // shows no value either.
    const plan = await runOk("tofu", ["plan", "-detailed-exitcode", "-no-color", "-input=false"], {
      cwd: work,
      env,
    }).catch((error: unknown) => {
      throw new Error(`the second plan is not clean: ${String(error)}`);
    });
    expect(plan.stdout.includes(value)).to.equal(false);
  });

  it("destroys (dev settings: no deletion protection, no recovery window)", async () => {
    await tofu(["destroy", "-auto-approve", "-input=false"]);
  });
});

// The code must also run on HashiCorp Terraform >= 1.11. It is not installed by setup (BUSL licence), so this
// only runs where a `terraform` binary is on PATH.
describe("modules: Terraform compatibility", function () {
  this.timeout(10 * 60_000);

  for (const name of moduleNames) {
    it(`module ${name} validates with terraform >= 1.11`, async function () {
      const version = await run("terraform", ["version", "-json"]).catch(() => undefined);
      if (!version || version.code !== 0) {
        console.log("      (skipped: no terraform binary on PATH; OpenTofu is the tested engine)");
        this.skip();
      }
      const { terraform_version: tfVersion } = JSON.parse(version!.stdout) as { terraform_version: string };
      const [major, minor] = tfVersion.split(".").map(Number);
      expect(major === 1 && (minor ?? 0) >= 11, `terraform ${tfVersion} is older than 1.11`).to.equal(true);
      // A private copy of all modules (they call each other, e.g. ../kms-key), so Terraform's .terraform
      // directory and lock file never mix with OpenTofu's.
      const copy = await mkdtemp(path.join(os.tmpdir(), `tf-${name}-`));
      try {
        await cp(modulesDir, copy, { recursive: true, filter: (src) => !src.includes(".terraform") });
        const dir = path.join(copy, name);
        await runOk("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir });
        await runOk("terraform", ["validate", "-no-color"], { cwd: dir });
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    });
  }
});
