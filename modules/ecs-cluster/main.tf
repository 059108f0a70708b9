# The ECS cluster of one environment, its Fargate capacity providers, the Cloud Map namespace the services
# register in (the frontend reaches the backend at backend.<namespace>), optionally the key of their logs, and
# when ECS Exec may be used, the audit log of every Exec session.

locals {
  log_group_names           = { for service in var.service_log_groups : service => "/ecs/${var.name}/${service}" }
  exec_audit_log_group_name = "/ecs/${var.name}/exec-audit"
  # The groups the logs key may encrypt: the services' and the Exec audit log's.
  keyed_log_groups = concat(values(local.log_group_names), var.exec_audit_logging ? [local.exec_audit_log_group_name] : [])
  logs_kms_key_arn = length(local.keyed_log_groups) > 0 ? module.logs_kms_key[0].key_arn : ""
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights
  }

  # ECS Exec sessions are encrypted with the logs key and every command with its output is recorded, encrypted, in
  # the audit log group: who ran what inside a task stays on record.
  dynamic "configuration" {
    for_each = var.exec_audit_logging ? [1] : []
    content {
      execute_command_configuration {
        kms_key_id = local.logs_kms_key_arn
        logging    = "OVERRIDE"
        log_configuration {
          cloud_watch_encryption_enabled = true
          cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec_audit[0].name
        }
      }
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "exec_audit" {
  count = var.exec_audit_logging ? 1 : 0

  name              = local.exec_audit_log_group_name
  retention_in_days = var.exec_audit_retention_days
  kms_key_id        = local.logs_kms_key_arn
  tags              = var.tags
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
  count  = length(local.keyed_log_groups) > 0 ? 1 : 0

  alias                   = "${var.name}-service-logs"
  description             = "Encrypts the service logs of ${var.name}"
  deletion_window_in_days = var.logs_kms_key_deletion_window_days
  log_group_names         = local.keyed_log_groups
  tags                    = var.tags
}
