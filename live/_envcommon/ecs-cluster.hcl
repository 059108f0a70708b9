# The ecs-cluster unit, shared by every environment: the ECS cluster, its Fargate capacity providers, the
# Cloud Map namespace "<env>.fargate-ai-stack.local" the services register in, and the key of the apps' log groups
# (made here, while the images build, rather than by each service unit when its turn comes).
locals {
  env  = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  apps = read_terragrunt_config("${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/apps.hcl").locals.apps
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//ecs-cluster"
}

dependency "vpc" {
  config_path = "../vpc"

  mock_outputs = {
    vpc_id = "vpc-00000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  vpc_id                             = dependency.vpc.outputs.vpc_id
  namespace_name                     = "${local.env.name}.fargate-ai-stack.local"
  default_capacity_provider_strategy = local.env.ecs_capacity_provider_strategy
  service_log_groups                 = keys(local.apps)
  # Whenever ECS Exec may be used, every session is recorded (ecs-service refuses Exec without it).
  exec_audit_logging = local.env.ecs_enable_execute_command
}
