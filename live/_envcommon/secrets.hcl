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
  # Only the backend's task role (named by modules/ecs-service as <name>-<service>-task; the root's name is
  # fargate-ai-stack-<env>) and env.hcl's administrators read the value: the secret's resource policy denies
  # everyone else. By name, because the backend unit, which makes the role, depends on this one.
  reader_role_names  = ["fargate-ai-stack-${local.env.name}-backend-task"]
  administrator_arns = local.env.secret_administrator_arns
}
