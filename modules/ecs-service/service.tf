resource "aws_service_discovery_service" "this" {
  count = local.discoverable ? 1 : 0

  name        = var.service
  description = "Tasks of ${local.service_name}"

  dns_config {
    namespace_id   = var.service_discovery_namespace_id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  # ECS reports task health to Cloud Map, so unhealthy tasks leave DNS.
  health_check_custom_config {
    failure_threshold = 1
  }

  # ECS deregisters its tasks, but an instance left behind must not block a destroy.
  force_destroy = true

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.service_discovery_namespace_name != ""
      error_message = "service_discovery_namespace_name must be set with service_discovery_namespace_id (e.g. \"dev.fargate-ai-stack.local\")."
    }
  }
}

resource "aws_ecs_service" "this" {
  name            = local.service_name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  # The starting size; from then on autoscaling owns the count (see lifecycle below).
  desired_count          = var.min_capacity
  enable_execute_command = var.enable_execute_command
  propagate_tags         = "SERVICE"
  wait_for_steady_state  = var.wait_for_steady_state

  # Only meaningful behind a load balancer (0, AWS's default, is not sent at all).
  health_check_grace_period_seconds = var.health_check_grace_period_seconds
  # Keep tasks spread evenly over the zones of the subnets, also after a zone outage or a scale-in.
  availability_zone_rebalancing = var.availability_zone_rebalancing

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = local.load_balanced ? [1] : []
    content {
      target_group_arn = var.target_group_arn
      container_name   = var.service
      container_port   = var.container_port
    }
  }

  dynamic "service_registries" {
    for_each = local.discoverable ? [1] : []
    content {
      registry_arn = aws_service_discovery_service.this[0].arn
    }
  }

  # Rolling deployment: a new revision that cannot get healthy is rolled back automatically ...
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # ... and so is one that sets off any of its deployment alarms (alarms.tf) while it rolls out.
  dynamic "alarms" {
    for_each = length(local.deployment_alarm_names) > 0 ? [1] : []
    content {
      alarm_names = local.deployment_alarm_names
      enable      = true
      rollback    = true
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.health_check_grace_period_seconds == 0 || local.load_balanced
      error_message = "health_check_grace_period_seconds only applies to a service behind a load balancer: set target_group_arn or leave it at 0."
    }
    # Application Auto Scaling changes the desired count at run time (between min_capacity and max_capacity);
    # Terraform must not reset it on every apply. This is the documented pattern for autoscaled services, not an
    # emulator workaround.
    ignore_changes = [desired_count]
  }
}
