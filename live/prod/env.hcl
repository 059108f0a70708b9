# Production: resilient. A NAT gateway per zone, at least two tasks spread over zones, longer retention,
# deletion protection.
locals {
  name   = "prod"
  region = "us-east-1"

  vpc_cidr             = "10.20.0.0/16"
  az_count             = 3
  nat_gateway_strategy = "one_per_az"
  log_retention_days   = 90
  # VPC endpoints (unit vpc: an S3 gateway, free, and interface endpoints for ecr.api, ecr.dkr, logs,
  # secretsmanager, kms, sts and cognito-idp, about 7 x 3 zones x 7.3 USD = 153 USD a month plus 0.01 USD per GB): the tasks
  # reach AWS without the NAT gateway, and the frontend gets no internet egress at all (the backend keeps HTTPS
  # to anywhere for the OpenAI API).
  vpc_endpoints = true

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

  # Sign-in (unit auth: a Cognito user pool, its app client for the frontend's server, the session cookie key).
  # Prod: every user needs an authenticator app (TOTP MFA ON: a leaked password alone spends nobody's budget); no
  # self sign-up (only administrators create accounts); the pool, which holds the users, is protected from deletion.
  auth_mfa                 = "ON"
  auth_self_sign_up        = false
  auth_deletion_protection = true
  # Token budgets (unit budgets: a DynamoDB table of daily counters; the backend reserves a chat's prompt plus
  # max_completion_tokens before it calls OpenAI). Prod: 500,000 tokens per user and UTC day, 20,000,000 for the
  # whole environment (at gpt-4.1-mini's output price at most 32 USD a day), point-in-time recovery (the counters
  # are what stops spending; restoring them after a mistake keeps the day's budgets) and deletion protection.
  budget_user_daily_tokens        = 500000
  budget_environment_daily_tokens = 20000000
  max_completion_tokens           = 1024 # the reply cap per request (sent upstream as max_completion_tokens)
  budget_point_in_time_recovery   = true
  budget_deletion_protection      = true
  # Spend (unit monitoring): OpenAI's list prices in USD per million tokens, per model, for the dashboard's estimated
  # spend and the daily spend alarm (update them when OpenAI's prices change); the estimated spend per UTC day that
  # alarms (prod: 200 USD, far above what the environment cap allows at these prices, so it fires when prices, caps
  # or the metering are wrong); budget and spend-cap rejections per 5 minutes that alarm (50: users hitting their
  # budget is normal, a surge of it is a runaway client, an attack on accounts or a cap set too low).
  model_prices_usd_per_million_tokens = {
    "gpt-4o-mini"  = { input = 0.15, output = 0.60 }
    "gpt-4.1-mini" = { input = 0.40, output = 1.60 }
  }
  spend_alarm_daily_usd             = 200
  budget_rejections_alarm_threshold = 50
}
