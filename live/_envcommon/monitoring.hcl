# The monitoring unit, shared by every environment: the CloudWatch dashboard and alarms of the load balancer and
# the services. The services depend on it, because its alarms roll their deployments back.
locals {
  env  = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  apps = read_terragrunt_config("${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/apps.hcl").locals.apps
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//monitoring"
}

dependency "alb" {
  config_path = "../alb"

  mock_outputs = {
    alb_arn_suffix          = "app/mock-alb/0123456789abcdef"
    target_group_arn_suffix = "targetgroup/mock-frontend/0123456789abcdef"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "ecs_cluster" {
  config_path = "../ecs-cluster"

  mock_outputs = {
    cluster_name = "mock-cluster"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  alb_arn_suffix          = dependency.alb.outputs.alb_arn_suffix
  target_group_arn_suffix = dependency.alb.outputs.target_group_arn_suffix
  cluster_name            = dependency.ecs_cluster.outputs.cluster_name
  services                = keys(local.apps)
  load_balanced_service   = "frontend"
  alarm_email             = local.env.alarm_email
}
