import { expect } from "chai";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { projectEnv, run } from "../support/exec.js";
import { modulesDir, repoRoot } from "../support/paths.js";

// Every module's README carries its inputs/outputs tables as terraform-docs generates them (npm run docs), and
// TFLint with the AWS ruleset finds nothing in any module. Both tools are pinned and built by scripts/setup.sh.

const docsConfig = path.join(repoRoot, ".terraform-docs.yml");
const tflintConfig = path.join(repoRoot, ".tflint.hcl");
const env = projectEnv();

const modules = (await readdir(modulesDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const toolVersions = await readFile(path.join(repoRoot, ".tool-versions"), "utf8");
const pins = await readFile(path.join(repoRoot, "scripts", "pins.env"), "utf8");
const toolVersion = (tool: string): string | undefined =>
  new RegExp(`^${tool}\\s+(\\S+)$`, "m").exec(toolVersions)?.[1];
const pinnedRuleset = /^TFLINT_RULESET_AWS_VERSION=(\S+)$/m.exec(pins)?.[1];

interface TflintIssue {
  rule: { name: string; severity: string };
  message: string;
  range: { filename: string; start: { line: number; column: number } };
}
interface TflintOutput {
  issues: TflintIssue[];
  errors: { message: string; range?: { filename: string; start: { line: number } } }[];
}

/**
 * Runs TFLint with the project's config in `dir`: its findings and errors as "file:line:col [rule, severity]
 * message" lines (file relative to the repository root, where TFLint runs), or its raw output when that is not
 * the JSON report.
 */
async function tflint(dir: string): Promise<{ code: number; findings: string[] }> {
  const result = await run(
    "tflint",
    ["--chdir", dir, "--config", tflintConfig, "--format", "json", "--no-color"],
    {
      env,
    },
  );
  let output: TflintOutput;
  try {
    output = JSON.parse(result.stdout) as TflintOutput;
  } catch {
    return {
      code: result.code,
      findings: [`${dir}: tflint exited ${result.code}: ${result.stdout}${result.stderr}`],
    };
  }
  const findings = [
    ...output.issues.map(
      (i) =>
        `${i.range.filename}:${i.range.start.line}:${i.range.start.column} [${i.rule.name}, ${i.rule.severity}] ${i.message}`,
    ),
    ...output.errors.map((e) => `${e.range?.filename ?? dir}: [error] ${e.message}`),
  ];
  return { code: result.code, findings };
}

describe("Module READMEs (terraform-docs) and TFLint", function () {
  this.timeout(5 * 60_000);

  it("finds the modules, each with a README carrying terraform-docs' markers once", async () => {
    expect(modules.length, "no module in modules/").to.be.greaterThan(5);
    for (const name of modules) {
      const readme = await readFile(path.join(modulesDir, name, "README.md"), "utf8");
      for (const marker of ["<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"]) {
        expect(readme.split(marker).length - 1, `modules/${name}/README.md: ${marker}`).to.equal(1);
      }
    }
  });

  it("terraform-docs and TFLint are the versions in .tool-versions, the AWS ruleset the one in scripts/pins.env", async () => {
    const docsPin = toolVersion("terraform-docs");
    const tflintPin = toolVersion("tflint");
    for (const pin of [docsPin, tflintPin, pinnedRuleset]) expect(pin).to.match(/^\d+\.\d+\.\d+$/);
    const docs = await run("terraform-docs", ["--version"], { env });
    expect(docs.code, docs.stderr).to.equal(0);
    expect(docs.stdout).to.match(new RegExp(`^terraform-docs version v${docsPin} `));
    // With the project's config, TFLint also starts the plugin and reports its version.
    const lint = await run("tflint", ["--version", "--config", tflintConfig], { env });
    expect(lint.code, `${lint.stdout}${lint.stderr}`).to.equal(0);
    expect(lint.stdout).to.include(`TFLint version ${tflintPin}\n`);
    expect(lint.stdout).to.include(`+ ruleset.aws (${pinnedRuleset})\n`);
  });

  it("every module README's inputs/outputs tables are up to date", async () => {
    const result = await run("terraform-docs", ["--output-check", "."], { env });
    expect(
      result.code,
      `${result.stderr}\nRegenerate the tables with \`npm run docs\` (terraform-docs .) and commit the READMEs.`,
    ).to.equal(0);
    for (const name of modules) expect(result.stdout).to.include(`modules/${name}/README.md is up to date`);
  });

  it("terraform-docs --output-check fails on a stale README (so the check above can fail)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "terraform-docs-"));
    try {
      await cp(modulesDir, path.join(dir, "modules"), { recursive: true });
      await cp(docsConfig, path.join(dir, ".terraform-docs.yml"));
      const readme = path.join(dir, "modules", modules[0]!, "README.md");
      const text = await readFile(readme, "utf8");
      await writeFile(readme, text.replace("<!-- END_TF_DOCS -->", "| stale | row |\n<!-- END_TF_DOCS -->"));
      const result = await run("terraform-docs", ["--output-check", "."], { cwd: dir, env });
      expect(result.code, `${result.stdout}${result.stderr}`).to.equal(1);
      expect(result.stderr).to.include(`modules/${modules[0]}/README.md is out of date`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("TFLint with the AWS ruleset reports zero findings in every module", async () => {
    const findings: string[] = [];
    const exits: string[] = [];
    for (const name of modules) {
      const { code, findings: found } = await tflint(path.join(modulesDir, name));
      findings.push(...found);
      if (code !== 0) exits.push(`modules/${name}: exit ${code}`);
    }
    expect(
      findings,
      `TFLint findings (tflint --chdir modules/<module> --config "$PWD/.tflint.hcl"):\n${findings.join("\n")}`,
    ).to.deep.equal([]);
    expect(exits).to.deep.equal([]);
  });

  it("TFLint reports AWS and Terraform findings in a broken module (so the check above can fail)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tflint-"));
    try {
      await writeFile(
        path.join(dir, "main.tf"),
        [
          'variable "unused" {}', // terraform_unused_declarations, terraform_typed_variables
          'resource "aws_instance" "web" {',
          '  ami           = "ami-0123456789abcdef0"',
          '  instance_type = "t1.2xlarge"', // aws_instance_invalid_type: no such instance type
          "}",
          "",
        ].join("\n"),
      );
      const { code, findings } = await tflint(dir);
      const text = findings.join("\n");
      expect(code, text).to.equal(2); // TFLint's exit status for "issues found"
      expect(text).to.include("[aws_instance_invalid_type, error]");
      expect(text).to.include("[terraform_unused_declarations, warning]");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
