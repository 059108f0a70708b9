import { expect } from "chai";
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "@fargate-ai-stack/test-support";
import { run, runOk, type RunResult } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

// How scripts/setup.sh gets each CLI: from PATH within the version range of scripts/pins.env, from the official
// release file checked against its pinned SHA-256 (served here by a local server laid out like GitHub releases),
// or from source when offline or no checksum is pinned. Each case sources setup.sh in a sandbox (its own cache,
// .tools and HOME) and runs one step; the Go build is replaced by a stub that records it, since building takes
// minutes and is not what is tested here.

const goArch = process.arch === "arm64" ? "arm64" : "amd64";
const ARCH = goArch.toUpperCase();
const cliTools = ["tofu", "terragrunt", "tfsec", "actionlint", "terraform-docs", "tflint"];

const pinsText = await readFile(path.join(repoRoot, "scripts", "pins.env"), "utf8");
const toolVersions = await readFile(path.join(repoRoot, ".tool-versions"), "utf8");
const pinned = (tool: string): string => {
  const version = new RegExp(`^${tool}\\s+(\\S+)$`, "m").exec(toolVersions)?.[1];
  if (!version) throw new Error(`.tool-versions has no ${tool} line`);
  return version;
};
const tofuVersion = pinned("opentofu");
const terragruntVersion = pinned("terragrunt");
const actionlintVersion = pinned("actionlint");

const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

/** A shell script standing in for a tool: prints the version line the real one prints. */
const fakeTool = (versionLine: string): string => `#!/bin/sh\necho '${versionLine}'\n`;

interface Sandbox {
  dir: string;
  cache: string;
  tools: string;
  /** Directory put first on PATH, for tools "already installed" on the machine. */
  pathBin: string;
}

// The machine's own directories, less any that hold one of these tools: the sandbox must not find a real one.
const systemPath = (process.env.PATH ?? "/usr/bin:/bin")
  .split(":")
  .filter((dir) => dir && !cliTools.some((tool) => existsSync(path.join(dir, tool))))
  .join(":");

/** The Go build replaced by a stub: it records what it would build and leaves a binary that says so. */
const buildStub = `build_go_binary() {
  [[ -x $1 ]] && return 0
  echo "STUB: building $(basename "$1") $3 from the Go module proxy ($2)" >&2
  mkdir -p "$(dirname "$1")" && printf '#!/bin/sh\\necho "built from source %s"\\n' "$3" >"$1" && chmod +x "$1"
}`;

/** Sources setup.sh in the sandbox, then runs `steps` (bash) after the given pins override scripts/pins.env's. */
function setupStep(
  box: Sandbox,
  steps: string,
  options: { releasesUrl: string; pins?: Record<string, string> },
): Promise<RunResult> {
  const pins = Object.entries(options.pins ?? {})
    .map(([name, value]) => `${name}='${value}'`)
    .join("\n");
  return run("bash", ["-c", `source scripts/setup.sh\n${buildStub}\n${pins}\n${steps}`], {
    cwd: repoRoot,
    timeoutMs: 60_000,
    env: {
      PATH: `${box.pathBin}:${systemPath}`,
      HOME: path.join(box.dir, "home"),
      FAS_CACHE_DIR: box.cache,
      FAS_TOOLS_DIR: box.tools,
      FAS_RELEASES_URL: options.releasesUrl,
      NO_COLOR: "1",
    },
  });
}

async function newSandbox(root: string, name: string): Promise<Sandbox> {
  const dir = path.join(root, name);
  const box = {
    dir,
    cache: path.join(dir, "cache"),
    tools: path.join(dir, "tools"),
    pathBin: path.join(dir, "path"),
  };
  await mkdir(box.pathBin, { recursive: true });
  await mkdir(path.join(dir, "home"), { recursive: true });
  return box;
}

/** Makes a .zip or .tar.gz holding one executable `member` (as the real release archives do, at their root). */
async function archive(
  work: string,
  kind: "zip" | "tar.gz",
  member: string,
  content: string,
): Promise<Buffer> {
  const dir = await mkdtemp(path.join(work, "archive-"));
  await writeFile(path.join(dir, member), content);
  await chmod(path.join(dir, member), 0o755);
  await writeFile(path.join(dir, "LICENSE"), "not the binary\n");
  const out = path.join(dir, `out.${kind}`);
  // python3 rather than zip, which a fresh machine may lack (setup.sh needs python3 anyway).
  if (kind === "zip") {
    const zip =
      "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n  for f in sys.argv[2:]: z.write(f)";
    await runOk("python3", ["-c", zip, out, member, "LICENSE"], { cwd: dir });
  } else await runOk("tar", ["-czf", out, member, "LICENSE"], { cwd: dir });
  return readFile(out);
}

describe("setup.sh: tools from PATH, release downloads and source builds", function () {
  this.timeout(2 * 60_000);

  let work: string;
  let server: http.Server;
  let releasesUrl: string;
  const requests: string[] = [];
  const files = new Map<string, Buffer>();
  const tofuPath = `/opentofu/opentofu/releases/download/v${tofuVersion}/tofu_${tofuVersion}_linux_${goArch}.zip`;
  const terragruntPath = `/gruntwork-io/terragrunt/releases/download/v${terragruntVersion}/terragrunt_linux_${goArch}`;
  const actionlintPath = `/rhysd/actionlint/releases/download/v${actionlintVersion}/actionlint_${actionlintVersion}_linux_${goArch}.tar.gz`;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "fas-setup-tools-"));
    files.set(tofuPath, await archive(work, "zip", "tofu", fakeTool(`OpenTofu v${tofuVersion}`)));
    files.set(terragruntPath, Buffer.from(fakeTool(`terragrunt version v${terragruntVersion}`)));
    files.set(actionlintPath, await archive(work, "tar.gz", "actionlint", fakeTool(actionlintVersion)));
    server = http.createServer((req, res) => {
      const url = req.url ?? "/";
      requests.push(`${req.method} ${url}`);
      const body = files.get(url);
      if (url === "/") res.writeHead(200).end("releases");
      else if (body) res.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
      else res.writeHead(404).end("Not Found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    releasesUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(work, { recursive: true, force: true });
  });

  beforeEach(() => {
    requests.length = 0;
  });

  const served = (file: string): Buffer => {
    const body = files.get(file);
    if (!body) throw new Error(`the test server does not serve ${file}`);
    return body;
  };

  const goodPins = (): Record<string, string> => ({
    [`TOFU_SHA256_LINUX_${ARCH}`]: sha256(served(tofuPath)),
    [`TERRAGRUNT_SHA256_LINUX_${ARCH}`]: sha256(served(terragruntPath)),
    [`ACTIONLINT_SHA256_LINUX_${ARCH}`]: sha256(served(actionlintPath)),
  });
  const installTofu = `install_go_tool tofu "$TOFU_VERSION" github.com/opentofu/opentofu ./cmd/tofu "-s -w"`;

  it("installs the pinned release files (zip, plain binary, tar.gz) after checking their SHA-256, and they run", async () => {
    const box = await newSandbox(work, "good");
    const result = await setupStep(
      box,
      `${installTofu}
install_go_tool terragrunt "$TERRAGRUNT_VERSION" github.com/gruntwork-io/terragrunt . "-s -w"
install_go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint ./cmd/actionlint "-s -w"`,
      { releasesUrl, pins: goodPins() },
    );
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.not.include("STUB: building");
    expect(requests).to.include.members([
      `GET ${tofuPath}`,
      `GET ${terragruntPath}`,
      `GET ${actionlintPath}`,
    ]);
    expect(result.stderr).to.include(
      `Installed tofu ${tofuVersion} from ${releasesUrl}${tofuPath} (SHA-256 verified)`,
    );
    for (const [tool, line] of [
      ["tofu", `OpenTofu v${tofuVersion}`],
      ["terragrunt", `terragrunt version v${terragruntVersion}`],
      ["actionlint", actionlintVersion],
    ] as const) {
      const ran = await runOk(path.join(box.tools, "bin", tool), ["--version"]);
      expect(ran.stdout.trim(), tool).to.equal(line);
    }
    expect(await readlink(path.join(box.tools, "bin", "tofu"))).to.equal(
      path.join(box.cache, "tools", `tofu-${tofuVersion}`, "tofu"),
    );
  });

  it("refuses a release file whose SHA-256 is not the pinned one, saying so, and installs nothing", async () => {
    const box = await newSandbox(work, "mismatch");
    const wrong = "0".repeat(64);
    const result = await setupStep(box, installTofu, {
      releasesUrl,
      pins: { [`TOFU_SHA256_LINUX_${ARCH}`]: wrong },
    });
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.include(`checksum mismatch for ${releasesUrl}${tofuPath}`);
    expect(result.stderr).to.include(`expected SHA-256 ${wrong}`);
    expect(result.stderr).to.include(`got ${sha256(served(tofuPath))}`);
    expect(result.stderr).to.include("Nothing was installed");
    expect(result.stderr, "no silent fallback to a source build").to.not.include("STUB: building");
    expect(existsSync(path.join(box.tools, "bin", "tofu")), ".tools/bin/tofu").to.equal(false);
    const toolDir = path.join(box.cache, "tools", `tofu-${tofuVersion}`);
    expect(existsSync(toolDir) ? readdirSync(toolDir) : [], "left in the cache").to.deep.equal([]);
  });

  it("offline (releases unreachable) builds from the Go module proxy, losing at most a few seconds", async () => {
    const box = await newSandbox(work, "offline");
    const started = Date.now();
    const result = await setupStep(box, installTofu, {
      releasesUrl: `http://127.0.0.1:${await freePort()}`,
      pins: goodPins(),
    });
    expect(result.code, result.stderr).to.equal(0);
    expect(Date.now() - started, "ms for the probe and the stub build").to.be.below(5_000);
    expect(result.stderr).to.include("cannot be reached (offline?)");
    expect(result.stderr).to.include(`STUB: building tofu ${tofuVersion} from the Go module proxy`);
    expect((await runOk(path.join(box.tools, "bin", "tofu"), [])).stdout).to.include("built from source");
  });

  it("builds from source, and says why, when no SHA-256 is pinned for the tool", async () => {
    const box = await newSandbox(work, "unpinned");
    const result = await setupStep(box, installTofu, {
      releasesUrl,
      pins: { [`TOFU_SHA256_LINUX_${ARCH}`]: "" },
    });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.include(
      `No SHA-256 is pinned for the tofu ${tofuVersion} release (linux_${goArch}) in scripts/pins.env: building it from source`,
    );
    expect(result.stderr).to.include("STUB: building tofu");
    expect(requests, "downloads of an unpinned file").to.not.include(`GET ${tofuPath}`);
  });

  it("uses a tool on PATH whose version is within the range, and not one outside it", async () => {
    const [major, minor] = tofuVersion.split(".");
    const inside = await newSandbox(work, "path-inside");
    await writeFile(path.join(inside.pathBin, "tofu"), fakeTool(`OpenTofu v${major}.${minor}.0`), {
      mode: 0o755,
    });
    const reused = await setupStep(inside, installTofu, { releasesUrl, pins: goodPins() });
    expect(reused.code, reused.stderr).to.equal(0);
    expect(reused.stderr).to.include(
      `Using ${path.join(inside.pathBin, "tofu")} from PATH: tofu ${major}.${minor}.0`,
    );
    expect(await readlink(path.join(inside.tools, "bin", "tofu"))).to.equal(
      path.join(inside.pathBin, "tofu"),
    );
    expect(requests, "downloads when PATH has a compatible tofu").to.deep.equal([]);

    const outside = await newSandbox(work, "path-outside");
    const newer = `${major}.${Number(minor) + 1}.0`;
    await writeFile(path.join(outside.pathBin, "tofu"), fakeTool(`OpenTofu v${newer}`), { mode: 0o755 });
    const installed = await setupStep(outside, installTofu, { releasesUrl, pins: goodPins() });
    expect(installed.code, installed.stderr).to.equal(0);
    expect(installed.stderr).to.include(
      `Not using ${path.join(outside.pathBin, "tofu")}: tofu ${newer} is outside`,
    );
    expect(requests).to.include(`GET ${tofuPath}`);
    expect((await runOk(path.join(outside.tools, "bin", "tofu"), ["--version"])).stdout.trim()).to.equal(
      `OpenTofu v${tofuVersion}`,
    );
  });

  it("version ranges: every pin is within its own range, and the comparison is numeric", async () => {
    const box = await newSandbox(work, "ranges");
    const checks = [
      ...cliTools.map((tool) => {
        const version = tool === "tofu" ? tofuVersion : pinned(tool);
        return `version_in_range ${version} "$(pin_of ${tool} COMPATIBLE)" || echo "OUT ${tool} ${version}"`;
      }),
      `version_in_range 1.12.10 ">=1.12.0 <1.13.0" || echo "OUT 1.12.10"`,
      `! version_in_range 1.13.0 ">=1.12.0 <1.13.0" || echo "IN 1.13.0"`,
      `! version_in_range 1.9.0 ">=1.12.0" || echo "IN 1.9.0"`,
      `! version_in_range "" ">=1.12.0" || echo "IN empty"`,
    ];
    const result = await setupStep(box, checks.join("\n"), { releasesUrl });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout.trim(), "failed checks").to.equal("");
  });

  it("pins.env: each tool has a range, and each SHA-256 pin for linux amd64/arm64 is 64 hex digits or empty", () => {
    for (const tool of cliTools) {
      const name = tool.toUpperCase().replace(/-/g, "_");
      expect(pinsText, `${name}_COMPATIBLE`).to.match(new RegExp(`^${name}_COMPATIBLE="[^"]+"$`, "m"));
    }
    for (const tool of [...cliTools, "tflint-ruleset-aws"]) {
      const name = tool.toUpperCase().replace(/-/g, "_");
      for (const arch of ["AMD64", "ARM64"]) {
        expect(pinsText, `${name}_SHA256_LINUX_${arch}`).to.match(
          new RegExp(`^${name}_SHA256_LINUX_${arch}=([0-9a-f]{64})?$`, "m"),
        );
      }
    }
  });

  it("says exactly what to do when a provider is in no mirror and no Go source is pinned", async () => {
    const box = await newSandbox(work, "provider");
    const mirror = path.join(box.dir, "empty-mirror");
    await mkdir(mirror);
    const result = await run(
      "bash",
      [
        "-c",
        `source scripts/setup.sh
install_provider hashicorp aws 0.0.1 github.com/hashicorp/terraform-provider-aws ""`,
      ],
      {
        cwd: repoRoot,
        timeoutMs: 60_000,
        env: {
          PATH: systemPath,
          HOME: path.join(box.dir, "home"),
          FAS_CACHE_DIR: box.cache,
          FAS_TOOLS_DIR: box.tools,
          FAS_PROVIDER_MIRROR: mirror,
          NO_COLOR: "1",
        },
      },
    );
    expect(result.code).to.not.equal(0);
    for (const advice of [
      "provider hashicorp/aws 0.0.1 is in no local mirror",
      "AWS_PROVIDER_GO_VERSION in scripts/pins.env is empty",
      "FAS_PROVIDER_MIRROR=/path/to/mirror npm run setup",
      `/path/to/mirror/registry.terraform.io/hashicorp/aws/0.0.1/linux_${goArch}/terraform-provider-aws_v0.0.1_x5`,
      "FAS_PROVIDERS=registry npm run setup",
      "git ls-remote https://github.com/hashicorp/terraform-provider-aws refs/tags/v0.0.1",
      "go list -m -json github.com/hashicorp/terraform-provider-aws@COMMIT",
      "AWS_PROVIDER_GO_VERSION=v0.0.0-... npm run setup",
    ]) {
      expect(result.stderr).to.include(advice);
    }
  });
});
