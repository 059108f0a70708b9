# The iam unit, shared by every environment: the ECS task execution role, the backend and frontend task roles
# and the optional GitHub Actions deploy role. Repository, log group and service ARNs follow the naming
# conventions, so this unit does not depend on ecr (which depends on it).
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//iam"
}

dependency "secrets" {
  config_path = "../secrets"

  mock_outputs = {
    secret_arn  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mock/openai-api-key-AbCdEf"
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  secret_arn               = dependency.secrets.outputs.secret_arn
  secret_kms_key_arn       = dependency.secrets.outputs.kms_key_arn
  enable_execute_command   = local.env.ecs_enable_execute_command
  github_repository        = local.env.ci_github_repository
  github_subjects          = local.env.ci_github_subjects
  github_oidc_provider_arn = local.env.ci_github_oidc_provider_arn
}
