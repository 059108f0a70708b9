/**
 * `scripts/images.sh --tag source` (what `npm start` uses): the tag follows the content of the images' build inputs,
 * committed or not, so a second start with no source change builds nothing, and an app whose image with that tag
 * exists for every platform is not built again. Runs on a clone of this checkout (as the build context); the reuse case uses a manifest
 * list made from the local base image, so nothing is built.
 */
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { projectEnv, run, runOk } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

const arch = process.arch === "arm64" ? "arm64" : "amd64";

describe("images.sh --tag source: tags from the build inputs' content", function () {
  this.timeout(10 * 60_000);

  let clone: string;
  const tagOf = async (...flags: string[]) =>
    (
      await runOk("bash", [
        path.join(repoRoot, "scripts", "images.sh"),
        "--context",
        clone,
        "--local-base",
        ...flags,
        "--print-source-tag",
      ])
    ).stdout.trim();
  const reset = () =>
    runOk("git", ["-C", clone, "checkout", "--", "."]).then(() =>
      runOk("git", ["-C", clone, "clean", "-fdq"]),
    );

  before(async () => {
    clone = await mkdtemp(path.join(os.tmpdir(), "fas-source-tag-"));
    await runOk("git", ["clone", "-q", "--local", repoRoot, clone]);
  });

  after(async () => {
    if (clone) await rm(clone, { recursive: true, force: true });
  });

  it("is stable for the same inputs and differs with the Node.js major", async () => {
    const tag = await tagOf();
    expect(tag).to.match(/^src-[0-9a-f]{12}$/);
    expect(await tagOf()).to.equal(tag);
    expect(await tagOf("--node", "22")).to.not.equal(tag);
  });

  it("changes with an uncommitted or new source file, and comes back when it is undone", async () => {
    const tag = await tagOf();
    await appendFile(path.join(clone, "backend", "src", "app.ts"), "\n// changed\n");
    const edited = await tagOf();
    expect(edited).to.not.equal(tag);
    await reset();
    expect(await tagOf()).to.equal(tag);
    await writeFile(path.join(clone, "frontend", "app", "new-module.ts"), "export const x = 1;\n");
    expect(await tagOf()).to.not.equal(tag);
    await reset();
    await appendFile(path.join(clone, "package-lock.json"), "\n");
    expect(await tagOf(), "the lock file is an input").to.not.equal(tag);
    await reset();
  });

  it("ignores what is not in the images: tests, benchmarks, infrastructure, docs", async () => {
    const tag = await tagOf();
    await appendFile(path.join(clone, "backend", "test", "chat.test.ts"), "\n// changed\n");
    await appendFile(path.join(clone, "frontend", "bench", "bench.ts"), "\n// changed\n");
    await appendFile(path.join(clone, "live", "dev", "env.hcl"), "\n# changed\n");
    await appendFile(path.join(clone, "modules", "vpc", "main.tf"), "\n# changed\n");
    await appendFile(path.join(clone, "README.md"), "\nchanged\n");
    expect(await tagOf()).to.equal(tag);
    await reset();
  });

  it("does not build an app whose image with that tag exists for every platform", async () => {
    // Inputs of their own, so a tag of its own: the checkout's tag names the images of an `npm start`, which the
    // system test may run beside this one, and this test replaces and removes the image list with that tag.
    await appendFile(path.join(clone, "backend", "src", "app.ts"), `\n// ${randomUUID()}\n`);
    const tag = await tagOf();
    const checkoutTag = (
      await runOk("bash", [path.join(repoRoot, "scripts", "images.sh"), "--local-base", "--print-source-tag"])
    ).stdout.trim();
    expect(tag).to.match(/^src-[0-9a-f]{12}$/);
    expect(tag, "the checkout's own tag").to.not.equal(checkoutTag);
    const list = `localhost/fargate-ai-stack/backend:${tag}`;
    const env = projectEnv();
    await run("podman", ["manifest", "rm", list], { env });
    await runOk("podman", ["manifest", "create", list], { env });
    try {
      await runOk(
        "podman",
        ["manifest", "add", list, `containers-storage:localhost/fargate-ai-stack/node:20-${arch}`],
        { env },
      );
      const result = await runOk(
        "bash",
        [
          path.join(repoRoot, "scripts", "images.sh"),
          "--context",
          clone,
          "--app",
          "backend",
          "--platform",
          `linux/${arch}`,
          "--local-base",
          "--tag",
          "source",
        ],
        { env },
      );
      expect(result.stderr + result.stdout).to.include(
        `${list} exists for linux/${arch} with the same build inputs: not built again`,
      );
      expect(result.stderr + result.stdout).to.not.include("Building backend");
    } finally {
      await run("podman", ["manifest", "rm", list], { env });
      await reset();
    }
  });
});
