# Development: cheap. One NAT gateway, one task per service on FARGATE_SPOT, short log retention,
# registries that can be deleted with their images.
locals {
  name   = "dev"
  region = "us-east-1"

  vpc_cidr             = "10.10.0.0/16"
  az_count             = 2
  nat_gateway_strategy = "single"
  log_retention_days   = 7

  # Secret and registry (units secrets, ecr, images). Dev: the secret can be deleted and re-created
  # at once, registries are deleted with their images and keep few releases.
  secret_recovery_window_days = 0
  # IAM roles or users besides the backend that may read the OpenAI key's value (e.g. a break-glass admin role's
  # ARN); the secret's resource policy denies it to every other principal.
  secret_administrator_arns = []
  ecr_force_delete          = true
  ecr_keep_release_images   = 10
  ecr_untagged_expire_days  = 1
  # CI roles (live/dev/_bootstrap/ci-roles, applied once by an administrator; README "CI/CD"): the GitHub
  # repository ("owner/repo") whose Actions assume them through OIDC, and which of its runs may assume which role;
  # empty = no CI roles. Dev: main applies the infrastructure (deploy role), pull requests plan (plan role). An
  # account holds one GitHub OIDC provider: if dev and prod share an account, set ci_github_oidc_provider_arn in
  # the second environment to the provider the first one created.
  ci_github_repository        = ""
  ci_github_oidc_provider_arn = ""
  ci_deploy_subjects          = ["ref:refs/heads/main"]
  ci_release_subjects         = []
  ci_plan_subjects            = ["pull_request"]
  ci_promotion_source         = "" # the environment promotions copy from (same account and region), "" = none
  # Image platform (must match the services' CPU architecture).
  image_platform = "linux/amd64"

  # Runtime: ECS cluster, load balancer, services, monitoring (units ecs-cluster, alb, frontend, backend,
  # monitoring). Dev runs one task per service on FARGATE_SPOT (up to 70% cheaper; an interruption only costs a
  # restart here) and lets autoscaling add a second task under load.
  ecs_capacity_provider_strategy = [{ capacity_provider = "FARGATE_SPOT", weight = 1, base = 0 }]
  ecs_services = {
    frontend = { cpu = 256, memory = 512, min_tasks = 1, max_tasks = 2 }
    backend  = { cpu = 256, memory = 512, min_tasks = 1, max_tasks = 2 }
  }
  ecs_enable_execute_command = false
  # Not production: plain HTTP on port 80 is allowed, by this explicit setting, while no certificate is given. A
  # certificate ARN, or a domain with its Route 53 zone, turns on HTTPS as in live/prod/env.hcl.
  production              = false
  alb_allow_plain_http    = true
  alb_certificate_arn     = ""
  alb_domain_name         = "" # the users' URL and the backend's CORS origin, e.g. "dev.example.com"
  alb_hosted_zone         = "" # e.g. "example.com" or "Z0123456789ABCDEFGHIJ"
  alb_deletion_protection = false
  # Where alarm notifications go (unit notifications: an SNS email subscription); empty = alarms without notifications.
  alarm_email = ""
  # Web application firewall in front of the load balancer (unit waf): chat requests one client IP may send per
  # window (60, 120, 300 or 600 s) before it is blocked, and the blocked requests per 5 minutes that alarm.
  # Dev has the WAF too: the same rules must meet the app (and its false positives show) before prod; it
  # costs about 10 USD a month plus 0.60 USD per million requests.
  waf_chat_rate_limit                  = 300
  waf_chat_rate_window_seconds         = 300
  waf_blocked_requests_alarm_threshold = 500
}
