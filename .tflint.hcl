# TFLint (pinned in .tool-versions) over every module in modules/, with the AWS ruleset (pinned in
# scripts/pins.env). test/infra/module-docs.test.ts runs it per module and fails on any finding:
#   tflint --chdir modules/<module> --config "$PWD/.tflint.hcl"
config {
  # Each module is linted on its own; none calls another.
  call_module_type = "none"
}

# Bundled with TFLint: the Terraform language rules (unused declarations, missing types and versions, ...).
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

# Built by scripts/setup.sh and found in TFLINT_PLUGIN_DIR (.tools/tflint-plugins). No source/version: TFLint
# would download a declared plugin from GitHub releases, and the project's machines reach only package registries.
plugin "aws" {
  enabled = true
}
