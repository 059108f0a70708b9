# What every service unit shares, included (deep merge) by live/<env>/<app>/terragrunt.hcl together with the
# app's own _envcommon/<app>.hcl: the ecs-service module, the units every service reads, and the inputs that
# follow from the app's name alone. The app is the unit's folder name; its port comes from apps.hcl, its sizes
# from the environment's ecs_services. Each service makes its own alarms, so none waits for the monitoring unit.
locals {
  env      = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  apps     = read_terragrunt_config("${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/apps.hcl").locals.apps
  service  = basename(get_terragrunt_dir())
  settings = local.env.ecs_services[local.service]
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//ecs-service"
}

dependency "vpc" {
  config_path = "../vpc"

  mock_outputs = {
    vpc_id             = "vpc-00000000000000000"
    vpc_cidr_block     = "10.0.0.0/16"
    private_subnet_ids = ["subnet-00000000000000002", "subnet-00000000000000003"]
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "ecs_cluster" {
  config_path = "../ecs-cluster"

  mock_outputs = {
    cluster_name     = "mock-cluster"
    cluster_arn      = "arn:aws:ecs:us-east-1:123456789012:cluster/mock-cluster"
    namespace_id     = "ns-0000000000000000"
    namespace_name   = "mock.fargate-ai-stack.local"
    log_group_names  = { for app in keys(local.apps) : app => "/ecs/mock/${app}" }
    logs_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    exec_audit       = { log_group_arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/mock/exec-audit", kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "ecr" {
  config_path = "../ecr"

  mock_outputs = {
    repository_arns = { for app in keys(local.apps) : app => "arn:aws:ecr:us-east-1:123456789012:repository/mock-${app}" }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "images" {
  config_path = "../images"

  mock_outputs = {
    image_uris = { for app in keys(local.apps) : app => "123456789012.dkr.ecr.us-east-1.amazonaws.com/mock-${app}@sha256:0000000000000000000000000000000000000000000000000000000000000000" }
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
  service          = local.service
  image            = dependency.images.outputs.image_uris[local.service]
  repository_arns  = [dependency.ecr.outputs.repository_arns[local.service]]
  container_port   = local.apps[local.service].port
  cpu              = local.settings.cpu
  memory           = local.settings.memory
  cpu_architecture = local.env.image_platform == "linux/arm64" ? "ARM64" : "X86_64"
  environment      = { NODE_ENV = "production" }

  cluster_arn                = dependency.ecs_cluster.outputs.cluster_arn
  cluster_name               = dependency.ecs_cluster.outputs.cluster_name
  capacity_provider_strategy = local.env.ecs_capacity_provider_strategy

  vpc_id         = dependency.vpc.outputs.vpc_id
  vpc_cidr_block = dependency.vpc.outputs.vpc_cidr_block
  subnet_ids     = dependency.vpc.outputs.private_subnet_ids

  min_capacity       = local.settings.min_tasks
  max_capacity       = local.settings.max_tasks
  log_retention_days = local.env.log_retention_days
  # The cluster unit's key, which CloudWatch Logs may use for exactly the apps' log groups.
  log_group_name = dependency.ecs_cluster.outputs.log_group_names[local.service]
  kms_key_arn    = dependency.ecs_cluster.outputs.logs_kms_key_arn

  # The service makes its own alarms (the ones that roll its deployments back among them); they notify the topic.
  alarm_topic_arn = dependency.notifications.outputs.topic_arn

  # ECS Exec needs a writable root filesystem (see the module README).
  enable_execute_command   = local.env.ecs_enable_execute_command
  exec_audit               = dependency.ecs_cluster.outputs.exec_audit
  readonly_root_filesystem = !local.env.ecs_enable_execute_command
}
