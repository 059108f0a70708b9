# The monitoring unit, shared by every environment: the CloudWatch dashboard of the load balancer, its WAF and the
# services, with the state of their alarms. It reads the services and the WAF (their names and alarms), so it comes
# after them and no deployment waits for it; the alarms themselves are theirs.
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

dependency "frontend" {
  config_path = "../frontend"

  mock_outputs = {
    service_name = "mock-frontend"
    alarm_names  = []
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "backend" {
  config_path = "../backend"

  mock_outputs = {
    service_name = "mock-backend"
    alarm_names  = []
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "waf" {
  config_path = "../waf"

  mock_outputs = {
    web_acl_name = "mock-web-acl"
    alarm_name   = "mock-waf-blocked-requests"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  alb_arn_suffix          = dependency.alb.outputs.alb_arn_suffix
  target_group_arn_suffix = dependency.alb.outputs.target_group_arn_suffix
  cluster_name            = dependency.ecs_cluster.outputs.cluster_name
  # A new app adds a dependency block above and its line here.
  services         = { frontend = dependency.frontend.outputs.service_name, backend = dependency.backend.outputs.service_name }
  alarm_names      = concat(dependency.frontend.outputs.alarm_names, dependency.backend.outputs.alarm_names, [dependency.waf.outputs.alarm_name])
  waf_web_acl_name = dependency.waf.outputs.web_acl_name
}
