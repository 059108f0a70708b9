# The ECS cluster of one environment, its Fargate capacity providers, the Cloud Map namespace the services
# register in (the frontend reaches the backend at backend.<namespace>) and optionally the key of their logs.

locals {
  log_group_names = { for service in var.service_log_groups : service => "/ecs/${var.name}/${service}" }
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights
  }

  tags = var.tags
}

# Both Fargate providers are always associated, so any service may pick either; the default strategy is what a
# service gets when it names none (the ecs-service module always names one).
resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  dynamic "default_capacity_provider_strategy" {
    for_each = var.default_capacity_provider_strategy
    content {
      capacity_provider = default_capacity_provider_strategy.value.capacity_provider
      weight            = default_capacity_provider_strategy.value.weight
      base              = default_capacity_provider_strategy.value.base
    }
  }
}

# Private DNS for service discovery: a Route 53 private hosted zone attached to the VPC, managed by Cloud Map.
resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = var.namespace_name
  description = "Service discovery for ${var.name}"
  vpc         = var.vpc_id
  tags        = var.tags
}

# One key for the services' log groups, made here rather than by each service: a key takes seconds to create, and
# the cluster is ready long before the services' images are. CloudWatch Logs may use it for exactly these groups
# (encryption-context condition in modules/kms-key), as with a key per service.
module "logs_kms_key" {
  source = "../kms-key"
  count  = length(var.service_log_groups) > 0 ? 1 : 0

  alias                   = "${var.name}-service-logs"
  description             = "Encrypts the service logs of ${var.name}"
  deletion_window_in_days = var.logs_kms_key_deletion_window_days
  log_group_names         = values(local.log_group_names)
  tags                    = var.tags
}
