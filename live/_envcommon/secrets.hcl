# The secrets unit, shared by every environment: the KMS key and the Secrets Manager secret
# "<name>/openai-api-key". Only the container: set its value with `npm run secret:set -- --env <env>`.
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//secrets"
}

inputs = {
  recovery_window_in_days = local.env.secret_recovery_window_days
}
