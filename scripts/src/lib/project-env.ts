/**
 * The project's tool environment for the programs the commands run (as scripts/lib.sh project_env); running
 * them is test-support's run() and spawnProcess(), shared with the tests and benchmarks.
 */
import path from "node:path";
import { repoRoot } from "./environments.js";

/**
 * scripts/lib.sh project_env: project tools first on PATH, the project's OpenTofu CLI config, where TFLint
 * finds its plugins, Podman settings, non-interactive Terragrunt that creates the state bucket when missing.
 * Values already set by the caller win for TG_TF_PATH (as in project_env), so the commands also work when
 * started without it.
 */
export function projectEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const tools = path.join(repoRoot, ".tools");
  return {
    ...base,
    PATH: `${path.join(tools, "bin")}:${path.join(tools, "venv", "bin")}:${base.PATH ?? ""}`,
    TF_CLI_CONFIG_FILE: path.join(tools, "tofurc"),
    TFLINT_PLUGIN_DIR: path.join(tools, "tflint-plugins"),
    CONTAINERS_CONF: path.join(repoRoot, "scripts", "containers.conf"),
    TG_TF_PATH: base.TG_TF_PATH ?? "tofu",
    TG_NON_INTERACTIVE: "true",
    // The project's CLI config decides about a plugin cache (setup.sh), not Terragrunt's automatic one.
    TG_NO_AUTO_PROVIDER_CACHE_DIR: "true",
    TG_BACKEND_BOOTSTRAP: "true",
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
  };
}
