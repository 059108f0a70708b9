# The ci-roles bootstrap unit, shared by every environment (live/<env>/_bootstrap/ci-roles): the GitHub OIDC
# provider and the environment's CI roles (modules/ci-roles). An administrator applies it once per environment,
# in its folder; no `run --all` includes it (its unit file's exclude block), since the roles run those.
locals {
  env     = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  root    = dirname(find_in_parent_folders("terragrunt.hcl"))
  env_dir = trimprefix(dirname(find_in_parent_folders("env.hcl")), "${local.root}/") # e.g. live/dev

  # The root's state keys are "<unit path>/terraform.tfstate" (+ ".tflock"): this environment's start with env_dir.
  state_key_prefix = "${local.env_dir}/"
}

terraform {
  source = "${local.root}/modules//ci-roles"
}

inputs = {
  state_key_prefix         = local.state_key_prefix
  bootstrap_state_prefix   = "${local.state_key_prefix}_bootstrap/"
  github_repository        = local.env.ci_github_repository
  github_oidc_provider_arn = local.env.ci_github_oidc_provider_arn
  deploy_subjects          = local.env.ci_deploy_subjects
  release_subjects         = local.env.ci_release_subjects
  plan_subjects            = local.env.ci_plan_subjects
  # Tests only (test/infra/ci-roles.test.ts): a principal that may assume the roles directly; never set otherwise.
  test_trusted_principal_arns = compact([get_env("FAS_CI_ROLES_TEST_PRINCIPAL", "")])
}
