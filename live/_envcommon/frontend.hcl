# The frontend unit, shared by every environment: the Remix/Express app as a Fargate service behind the load
# balancer, reachable only from it on 3000, calling the backend through Cloud Map DNS.
locals {
  env      = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  service  = "frontend"
  settings = local.env.ecs_services[local.service]

  port         = 3000
  backend_port = 4000 # the backend unit's container port
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
    cluster_name   = "mock-cluster"
    cluster_arn    = "arn:aws:ecs:us-east-1:123456789012:cluster/mock-cluster"
    namespace_name = "mock.fargate-ai-stack.local"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "iam" {
  config_path = "../iam"

  mock_outputs = {
    execution_role_arn     = "arn:aws:iam::123456789012:role/mock-execution"
    frontend_task_role_arn = "arn:aws:iam::123456789012:role/mock-frontend"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "alb" {
  config_path = "../alb"

  mock_outputs = {
    security_group_id = "sg-00000000000000000"
    target_group_arn  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/mock-frontend/0123456789abcdef"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "images" {
  config_path = "../images"

  mock_outputs = {
    image_uris = {
      frontend = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mock-frontend@sha256:0000000000000000000000000000000000000000000000000000000000000000"
      backend  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mock-backend@sha256:0000000000000000000000000000000000000000000000000000000000000000"
    }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "monitoring" {
  config_path = "../monitoring"

  mock_outputs = {
    alarm_names_by_service = { frontend = [], backend = [] }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  service          = local.service
  image            = dependency.images.outputs.image_uris[local.service]
  container_port   = local.port
  cpu              = local.settings.cpu
  memory           = local.settings.memory
  cpu_architecture = local.env.image_platform == "linux/arm64" ? "ARM64" : "X86_64"

  environment = {
    BACKEND_URL = "http://backend.${dependency.ecs_cluster.outputs.namespace_name}:${local.backend_port}"
    NODE_ENV    = "production"
  }

  execution_role_arn = dependency.iam.outputs.execution_role_arn
  task_role_arn      = dependency.iam.outputs.frontend_task_role_arn

  cluster_arn                = dependency.ecs_cluster.outputs.cluster_arn
  cluster_name               = dependency.ecs_cluster.outputs.cluster_name
  capacity_provider_strategy = local.env.ecs_capacity_provider_strategy

  vpc_id                     = dependency.vpc.outputs.vpc_id
  vpc_cidr_block             = dependency.vpc.outputs.vpc_cidr_block
  subnet_ids                 = dependency.vpc.outputs.private_subnet_ids
  allowed_security_group_ids = [dependency.alb.outputs.security_group_id]
  egress_vpc_ports           = [local.backend_port]
  target_group_arn           = dependency.alb.outputs.target_group_arn

  min_capacity           = local.settings.min_tasks
  max_capacity           = local.settings.max_tasks
  deployment_alarm_names = dependency.monitoring.outputs.alarm_names_by_service[local.service]
  log_retention_days     = local.env.log_retention_days

  # ECS Exec needs a writable root filesystem (see the module README).
  enable_execute_command   = local.env.ecs_enable_execute_command
  readonly_root_filesystem = !local.env.ecs_enable_execute_command
}
