import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { run, runOk } from "../support/exec.js";
import { modulesDir, repoRoot } from "../support/paths.js";

// checkov, the second IaC scanner beside tfsec (modules.test.ts): the same zero-findings rule, over the modules,
// the GitHub workflows and the Dockerfiles. A reasoned exception is an inline `#checkov:skip=CKV_...:why` in the
// block it is about; no check is skipped for the whole project.

/** Directories no scan looks into: tool caches, dependencies and test fixtures (as tfsec never sees them). */
const SKIP_PATHS = ["\\.terraform", "\\.terragrunt-cache", "node_modules", "tests/fixtures?"];
const skipped = (file: string) =>
  file.split("/").some((part) => [".terraform", ".terragrunt-cache", "node_modules"].includes(part)) ||
  /(^|\/)tests?\/fixtures?\//.test(file);

/** Every Dockerfile of the checkout, committed or new (not ignored), fixtures left out. */
const dockerfiles = (
  await runOk("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot })
).stdout
  .split("\n")
  .filter((file) => /(^|\/)(Dockerfile(\.[^/]+)?|[^/]+\.Dockerfile)$/.test(file) && !skipped(file))
  .sort();

interface CheckovReport {
  check_type: string;
  results: {
    failed_checks?: Array<{
      check_id: string;
      check_name: string;
      file_path: string;
      file_line_range: [number, number];
      resource: string;
    }>;
  };
  summary: { passed: number; failed: number; skipped: number; parsing_errors: number };
}

/**
 * Runs checkov with one framework and returns its report and failures, one readable line each. checkov gives
 * paths relative to a --directory target: base is that directory, from the repository root.
 */
async function checkov(
  framework: string,
  targets: string[],
  base = "",
): Promise<{ report: CheckovReport; failures: string[] }> {
  const result = await run(
    "checkov",
    [
      ...targets,
      "--framework",
      framework,
      ...SKIP_PATHS.flatMap((skip) => ["--skip-path", skip]),
      "--output",
      "json",
      "--compact",
      "--quiet",
      // Offline: no guideline links or severities from the vendor's API, and no wait on it.
      "--skip-download",
      "--soft-fail",
    ],
    { cwd: repoRoot },
  );
  expect(result.code, `checkov --framework ${framework} failed:\n${result.stderr}`).to.equal(0);
  // One framework gives one report; "[]" or a list when checkov found nothing of that kind.
  const parsed = JSON.parse(result.stdout) as CheckovReport | CheckovReport[];
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  expect(reports, `checkov found nothing to scan for ${framework}: ${result.stdout}`).to.have.length(1);
  const report = reports[0]!;
  const failures = (report.results.failed_checks ?? []).map(
    (check) =>
      `${check.check_id} ${path.join(base, check.file_path)}:${check.file_line_range[0]} ${check.resource}: ` +
      check.check_name,
  );
  return { report, failures };
}

describe("checkov (second IaC scanner)", function () {
  this.timeout(10 * 60_000);

  it("is installed at the pinned version (scripts/pins.env CHECKOV_VERSION)", async () => {
    const pins = await readFile(path.join(repoRoot, "scripts", "pins.env"), "utf8");
    const pinned = /^CHECKOV_VERSION=(\S+)$/m.exec(pins)?.[1];
    expect(pinned, "scripts/pins.env pins no CHECKOV_VERSION").to.match(/^3\.\d+\.\d+$/);
    const version = await runOk("checkov", ["--version"]);
    expect(version.stdout.trim()).to.equal(pinned);
  });

  it("reports zero failed checks on modules/ (terraform)", async () => {
    const { report, failures } = await checkov("terraform", ["--directory", "modules"], "modules");
    expect(report.summary.parsing_errors, "checkov could not parse some of modules/").to.equal(0);
    expect(report.summary.passed).to.be.greaterThan(0);
    expect(failures, failures.join("\n")).to.deep.equal([]);
  });

  it("reports zero failed checks on .github/workflows (github_actions)", async () => {
    const { report, failures } = await checkov(
      "github_actions",
      ["--directory", ".github/workflows"],
      ".github/workflows",
    );
    expect(report.summary.parsing_errors).to.equal(0);
    expect(report.summary.passed).to.be.greaterThan(0);
    expect(failures, failures.join("\n")).to.deep.equal([]);
  });

  it("reports zero failed checks on every Dockerfile (dockerfile)", async () => {
    expect(dockerfiles).to.include.members(["backend/Dockerfile", "frontend/Dockerfile"]);
    const { report, failures } = await checkov(
      "dockerfile",
      dockerfiles.flatMap((file) => ["--file", file]),
    );
    expect(report.summary.parsing_errors).to.equal(0);
    expect(report.summary.passed).to.be.greaterThan(0);
    expect(failures, failures.join("\n")).to.deep.equal([]);
  });

  it("every inline checkov skip names its check and gives a reason of some words", async () => {
    const workflowsDir = path.join(repoRoot, ".github", "workflows");
    const files = [
      ...(await readdir(modulesDir, { recursive: true }))
        .filter((file) => file.endsWith(".tf") && !skipped(file))
        .map((file) => path.join("modules", file)),
      ...(await readdir(workflowsDir))
        .filter((file) => /\.ya?ml$/.test(file))
        .map((file) => path.join(".github", "workflows", file)),
      ...dockerfiles,
    ];
    const unexplained: string[] = [];
    let skips = 0;
    for (const file of files) {
      const lines = (await readFile(path.join(repoRoot, file), "utf8")).split("\n");
      lines.forEach((line, index) => {
        if (!/checkov:skip=/.test(line)) return;
        skips += 1;
        // checkov's own syntax: checkov:skip=ID[,ID...][:reason]. The reason: three words at least.
        const match = /checkov:skip=([A-Za-z0-9_,-]*)(?::(.*))?$/.exec(line);
        const ids = match?.[1]?.split(",") ?? [];
        const reason = match?.[2]?.trim() ?? "";
        if (ids.length === 0 || !ids.every((id) => /^CKV2?_[A-Z0-9]+_\d+$/.test(id)))
          unexplained.push(`${file}:${index + 1}: names no check (CKV_..._N): ${line.trim()}`);
        else if (reason.split(/\s+/).filter((word) => /\w/.test(word)).length < 3)
          unexplained.push(`${file}:${index + 1}: gives no reason: ${line.trim()}`);
      });
    }
    expect(skips, "no inline skip found: is the search looking in the right files?").to.be.greaterThan(0);
    expect(
      unexplained,
      `write each skip as #checkov:skip=CKV_XXX_N:<why it does not apply>:\n${unexplained.join("\n")}`,
    ).to.deep.equal([]);
  });
});
