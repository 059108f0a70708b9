# Development: cheap. One NAT gateway, one task per service on FARGATE_SPOT, short log retention,
# registries that can be deleted with their images.
locals {
  name   = "dev"
  region = "us-east-1"

  vpc_cidr             = "10.10.0.0/16"
  az_count             = 2
  nat_gateway_strategy = "single"
  log_retention_days   = 7
  # VPC endpoints (unit vpc: an S3 gateway, free, and interface endpoints for ecr.api, ecr.dkr, logs,
  # secretsmanager, kms, sts and cognito-idp). Off in dev: the 7 interface endpoints cost about 7 x 2 zones x 7.3 USD = 102 USD a
  # month plus 0.01 USD per GB. Without them dev's tasks reach AWS at its public addresses through the NAT
  # gateway (image pulls and logs pay NAT's 0.045 USD per GB instead), the frontend keeps HTTPS egress to anywhere
  # (prod's frontend has none), and dev does not try prod's endpoint policy and egress rules before prod does.
  vpc_endpoints = false

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

  # Sign-in (unit auth: a Cognito user pool, its app client for the frontend's server, the session cookie key).
  # Dev: TOTP MFA is OPTIONAL, so test users sign in without an authenticator app (and one can still try it out);
  # no self sign-up (every account spends tokens: only administrators create them, with AdminCreateUser); the pool
  # can be destroyed with the environment.
  auth_mfa                 = "OPTIONAL"
  auth_self_sign_up        = false
  auth_deletion_protection = false
  # Token budgets (unit budgets: a DynamoDB table of daily counters; the backend reserves a chat's prompt plus
  # max_completion_tokens before it calls OpenAI). Dev: 200,000 tokens per user and UTC day (a few hundred chats),
  # 2,000,000 for the whole environment (at gpt-4.1-mini's output price at most 3.20 USD a day), no point-in-time
  # recovery (0.20 USD per GB-month; dev's counters are worth nothing) and no deletion protection (destroyable).
  budget_user_daily_tokens        = 200000
  budget_environment_daily_tokens = 2000000
  max_completion_tokens           = 1024 # the reply cap per request (sent upstream as max_completion_tokens)
  budget_point_in_time_recovery   = false
  budget_deletion_protection      = false
  # Spend (unit monitoring): OpenAI's list prices in USD per million tokens, per model, for the dashboard's estimated
  # spend and the daily spend alarm (update them when OpenAI's prices change); the estimated spend per UTC day that
  # alarms (dev: 20 USD, several times what the environment cap allows at these prices, so it only fires when
  # prices or caps are wrong); budget and spend-cap rejections per 5 minutes that alarm (50: users hitting their
  # budget is normal, a surge of it is a runaway client or a cap set too low).
  model_prices_usd_per_million_tokens = {
    "gpt-4o-mini"  = { input = 0.15, output = 0.60 }
    "gpt-4.1-mini" = { input = 0.40, output = 1.60 }
  }
  spend_alarm_daily_usd             = 20
  budget_rejections_alarm_threshold = 50
}
