# The auth unit, shared by every environment: the Cognito user pool (email addresses as user names, TOTP MFA as
# env.hcl's auth_mfa says), the app client of the frontend's server, and the session cookie key: the Secrets
# Manager secret "<name>/session-secret" with a random value written write-only (never in plans or state), which
# ECS injects into the frontend as SESSION_SECRET. It needs nothing from the other units; the backend and the
# frontend read its outputs.
locals {
  env  = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  name = "fargate-ai-stack-${local.env.name}"

  # The CI deploy role (live/<env>/_bootstrap/ci-roles) applies this unit when the environment has one.
  ci_deploy_role_arn = local.env.ci_github_repository != "" && length(local.env.ci_deploy_subjects) > 0 ? ["arn:aws:iam::${get_aws_account_id()}:role/${local.name}-ci-deploy"] : []

  # The AWS provider 5.x reads a secret version back with GetSecretValue on every refresh, even a write-only one.
  # The CI plan and release roles never read a secret's value (modules/ci-roles), so their plans of this unit (pull
  # requests, promotions' drift checks) skip the refresh: they compare the configuration with the state as the last
  # apply left it.
  caller         = get_aws_caller_identity_arn()
  no_secret_read = anytrue([for role in ["plan", "release"] : strcontains(local.caller, ":assumed-role/${local.name}-ci-${role}/")])
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//auth"

  extra_arguments "ci_plans_never_read_the_session_key" {
    commands  = ["plan"]
    arguments = local.no_secret_read ? ["-refresh=false"] : []
  }
}

inputs = {
  mfa                 = local.env.auth_mfa
  self_sign_up        = local.env.auth_self_sign_up
  deletion_protection = local.env.auth_deletion_protection

  recovery_window_in_days = local.env.secret_recovery_window_days
  # Only the frontend's execution role (named by modules/ecs-service as <name>-<service>-execution), with which ECS
  # injects SESSION_SECRET, env.hcl's administrators and the CI deploy role (which applies and so refreshes the
  # secret's version) read the value: the secret's resource policy denies everyone else. An administrator who
  # applies this unit outside CI must be in secret_administrator_arns. By name, because the frontend unit, which
  # makes the role, depends on this one.
  reader_role_names  = ["${local.name}-frontend-execution"]
  administrator_arns = concat(local.env.secret_administrator_arns, local.ci_deploy_role_arn)
}
