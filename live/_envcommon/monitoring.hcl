# The monitoring unit, shared by every environment: the CloudWatch dashboard of the load balancer, its WAF and the
# services, with the state of their alarms. It reads the services and the WAF (their names and alarms), so it comes
# after them and no deployment waits for it; the alarms themselves are theirs. It charts the chats' tokens, estimated
# spend (at env.hcl's model prices), time to first token and outcomes from the backend's metrics, and alarms on the
# notifications unit's topic when the estimated daily spend or the budget rejections pass env.hcl's thresholds.
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
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

dependency "notifications" {
  config_path = "../notifications"

  mock_outputs = {
    topic_arn = ""
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

  # The backend's usage metrics (Environment = its ENVIRONMENT_NAME, env.hcl's name, given by the root as env).
  model_prices_usd_per_million_tokens = local.env.model_prices_usd_per_million_tokens
  spend_alarm_daily_usd               = local.env.spend_alarm_daily_usd
  budget_rejections_alarm_threshold   = local.env.budget_rejections_alarm_threshold
  alarm_topic_arn                     = dependency.notifications.outputs.topic_arn
}
