# The frontend (with _envcommon/ecs-service.hcl): the Remix app behind the load balancer, reachable only from it,
# calling the backend through its Cloud Map name. It opens the backend's security group to its own tasks, so the
# backend needs nothing from it and applies while the load balancer is still being created. It signs users in with
# the auth unit's pool and client and encrypts their session cookies with the key ECS injects as SESSION_SECRET
# (its execution role may read exactly that secret, and decrypt its key only through Secrets Manager).
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

dependency "auth" {
  config_path = "../auth"

  mock_outputs = {
    user_pool_id               = "us-east-1_Mock00000"
    client_id                  = "mock0000000000000000000000"
    session_secret_arn         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mock/session-secret-AbCdEf"
    session_secret_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  environment = {
    BACKEND_URL       = "http://backend.${dependency.ecs_cluster.outputs.namespace_name}:${local.apps.backend.port}"
    AUTH_USER_POOL_ID = dependency.auth.outputs.user_pool_id
    AUTH_CLIENT_ID    = dependency.auth.outputs.client_id
  }
  # The session cookie key, injected by ECS at start (never in the task definition's plain environment).
  secrets              = [{ name = "SESSION_SECRET", valueFrom = dependency.auth.outputs.session_secret_arn }]
  secrets_kms_key_arns = [dependency.auth.outputs.session_secret_kms_key_arn]

  allowed_security_group_ids = [dependency.alb.outputs.security_group_id]
  egress_vpc_ports           = [local.apps.backend.port]
  callee_security_groups     = [{ security_group_id = dependency.backend.outputs.security_group_id, port = local.apps.backend.port }]
  target_group_arn           = dependency.alb.outputs.target_group_arn
  load_balancer_arn_suffix   = dependency.alb.outputs.alb_arn_suffix
}
