# The frontend (with _envcommon/ecs-service.hcl): the Remix app behind the load balancer, reachable only from it,
# calling the backend through its Cloud Map name. It opens the backend's security group to its own tasks, so the
# backend needs nothing from it and applies while the load balancer is still being created.
locals {
  apps = read_terragrunt_config("${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/apps.hcl").locals.apps
}

dependency "alb" {
  config_path = "../alb"

  mock_outputs = {
    security_group_id = "sg-00000000000000000"
    target_group_arn  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/mock-frontend/0123456789abcdef"
    alb_arn_suffix    = "app/mock-alb/0123456789abcdef"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "backend" {
  config_path = "../backend"

  mock_outputs = {
    security_group_id = "sg-00000000000000001"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  environment = {
    BACKEND_URL = "http://backend.${dependency.ecs_cluster.outputs.namespace_name}:${local.apps.backend.port}"
  }

  allowed_security_group_ids = [dependency.alb.outputs.security_group_id]
  egress_vpc_ports           = [local.apps.backend.port]
  callee_security_groups     = [{ security_group_id = dependency.backend.outputs.security_group_id, port = local.apps.backend.port }]
  target_group_arn           = dependency.alb.outputs.target_group_arn
  load_balancer_arn_suffix   = dependency.alb.outputs.alb_arn_suffix
}
