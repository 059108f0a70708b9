# Production: resilient. A NAT gateway per zone, at least two tasks spread over zones, longer retention,
# deletion protection.
locals {
  name   = "prod"
  region = "us-east-1"

  vpc_cidr             = "10.20.0.0/16"
  az_count             = 3
  nat_gateway_strategy = "one_per_az"
  log_retention_days   = 90

  # Secret and registry (units secrets, ecr, images). Prod: a deleted secret stays recoverable for
  # 30 days, a registry that still holds images is never deleted, and more releases are kept for rollbacks.
  secret_recovery_window_days = 30
  # IAM roles or users besides the backend that may read the OpenAI key's value (e.g. a break-glass admin role's
  # ARN); the secret's resource policy denies it to every other principal.
  secret_administrator_arns = []
  ecr_force_delete          = false
  ecr_keep_release_images   = 30
  ecr_untagged_expire_days  = 7
  # CI roles (live/prod/_bootstrap/ci-roles, applied once by an administrator; README "CI/CD"): the GitHub
  # repository ("owner/repo") whose Actions assume them through OIDC, and which of its runs may assume which role;
  # empty = no CI roles. Prod: only jobs of the GitHub environment "prod" (required reviewers) promote, with the
  # release role; pull requests plan. No deploy role: prod's infrastructure changes are applied by an
  # administrator (or set e.g. ["environment:prod-infra"] for an approved job). An account holds one GitHub OIDC
  # provider: if dev and prod share an account, set ci_github_oidc_provider_arn here to the one dev created.
  ci_github_repository        = ""
  ci_github_oidc_provider_arn = ""
  ci_deploy_subjects          = []
  ci_release_subjects         = ["environment:prod"]
  ci_plan_subjects            = ["pull_request"]
  ci_promotion_source         = "dev" # the environment promotions copy from (same account and region), "" = none
  # Image platform (must match the services' CPU architecture).
  image_platform = "linux/amd64"

  # Runtime: ECS cluster, load balancer, services, monitoring (units ecs-cluster, alb, frontend, backend,
  # monitoring). Prod keeps at least two on-demand tasks per service (Fargate spreads them over the zones of
  # the private subnets), scales between 2 and 10, and places tasks beyond the base half on FARGATE_SPOT.
  ecs_capacity_provider_strategy = [
    { capacity_provider = "FARGATE", weight = 1, base = 2 },
    { capacity_provider = "FARGATE_SPOT", weight = 1, base = 0 },
  ]
  ecs_services = {
    frontend = { cpu = 512, memory = 1024, min_tasks = 2, max_tasks = 10 }
    backend  = { cpu = 512, memory = 1024, min_tasks = 2, max_tasks = 10 }
  }
  ecs_enable_execute_command = false
  # Production: HTTPS is mandatory, the alb unit refuses to plan without it. Give alb_domain_name (the users' URL
  # and the backend's CORS origin) and alb_hosted_zone (the public Route 53 zone holding it, by name or ID): the unit
  # requests an ACM certificate validated by DNS and points the name at the load balancer. Or give an ACM
  # certificate's ARN (request or import it in ACM) in alb_certificate_arn. Against the emulator `npm start` and the
  # tests supply a domain of their own (live/_envcommon/alb.hcl).
  production              = true
  alb_certificate_arn     = ""
  alb_domain_name         = "" # e.g. "chat.example.com"
  alb_hosted_zone         = "" # e.g. "example.com" or "Z0123456789ABCDEFGHIJ"
  alb_deletion_protection = true
  # Where alarm notifications go (unit notifications: an SNS email subscription); empty = alarms without notifications.
  alarm_email = ""
  # Web application firewall in front of the load balancer (unit waf): chat requests one client IP may send per
  # window (60, 120, 300 or 600 s) before it is blocked, and the blocked requests per 5 minutes that alarm.
  waf_chat_rate_limit                  = 300
  waf_chat_rate_window_seconds         = 300
  waf_blocked_requests_alarm_threshold = 500
}
