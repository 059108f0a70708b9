# The backend unit, shared by every environment: the Express API as a Fargate service registered in Cloud Map
# (backend.<namespace>), reachable only from the frontend's tasks on 4000. It reads the OpenAI key itself from
# Secrets Manager with its task role: only the secret's ARN is in its environment.
locals {
  env      = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  service  = "backend"
  settings = local.env.ecs_services[local.service]

  port = 4000 # the frontend unit's BACKEND_URL uses the same port
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
    namespace_id   = "ns-0000000000000000"
    namespace_name = "mock.fargate-ai-stack.local"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "iam" {
  config_path = "../iam"

  mock_outputs = {
    execution_role_arn    = "arn:aws:iam::123456789012:role/mock-execution"
    backend_task_role_arn = "arn:aws:iam::123456789012:role/mock-backend"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "secrets" {
  config_path = "../secrets"

  mock_outputs = {
    secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mock/openai-api-key-AbCdEf"
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

dependency "frontend" {
  config_path = "../frontend"

  mock_outputs = {
    security_group_id = "sg-00000000000000001"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "alb" {
  config_path = "../alb"

  mock_outputs = {
    url = "http://mock-alb.us-east-1.elb.amazonaws.com"
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

  # No key here: the app fetches it from the secret with its task role.
  environment = {
    OPENAI_SECRET_ID = dependency.secrets.outputs.secret_arn
    CORS_ORIGINS     = dependency.alb.outputs.url
    NODE_ENV         = "production"
  }

  execution_role_arn = dependency.iam.outputs.execution_role_arn
  task_role_arn      = dependency.iam.outputs.backend_task_role_arn

  cluster_arn                = dependency.ecs_cluster.outputs.cluster_arn
  cluster_name               = dependency.ecs_cluster.outputs.cluster_name
  capacity_provider_strategy = local.env.ecs_capacity_provider_strategy

  vpc_id                     = dependency.vpc.outputs.vpc_id
  vpc_cidr_block             = dependency.vpc.outputs.vpc_cidr_block
  subnet_ids                 = dependency.vpc.outputs.private_subnet_ids
  allowed_security_group_ids = [dependency.frontend.outputs.security_group_id]

  service_discovery_namespace_id   = dependency.ecs_cluster.outputs.namespace_id
  service_discovery_namespace_name = dependency.ecs_cluster.outputs.namespace_name

  min_capacity           = local.settings.min_tasks
  max_capacity           = local.settings.max_tasks
  deployment_alarm_names = dependency.monitoring.outputs.alarm_names_by_service[local.service]
  log_retention_days     = local.env.log_retention_days

  # ECS Exec needs a writable root filesystem (see the module README).
  enable_execute_command   = local.env.ecs_enable_execute_command
  readonly_root_filesystem = !local.env.ecs_enable_execute_command
}
