# The waf unit, shared by every environment: the AWS WAF web ACL in front of the load balancer (AWS's managed rule
# groups, a per-IP rate limit on the chat API, the app's body-size limit), its encrypted request logs and the alarm
# on a surge of blocks, which notifies the notifications unit's topic. Nothing waits for it but the dashboard.
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//waf"
}

dependency "alb" {
  config_path = "../alb"

  mock_outputs = {
    alb_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/mock-alb/0123456789abcdef"
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
  alb_arn         = dependency.alb.outputs.alb_arn
  alarm_topic_arn = dependency.notifications.outputs.topic_arn

  chat_rate_limit                  = local.env.waf_chat_rate_limit
  chat_rate_window_seconds         = local.env.waf_chat_rate_window_seconds
  blocked_requests_alarm_threshold = local.env.waf_blocked_requests_alarm_threshold
  log_retention_days               = local.env.log_retention_days
}
