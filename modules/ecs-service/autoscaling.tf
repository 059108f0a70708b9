# Target tracking on average CPU and memory between min_capacity and max_capacity. Each policy scales out when
# its metric stays above the target and in (slowly) when both are well below.

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this.name}"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity
  tags               = var.tags

  lifecycle {
    precondition {
      condition     = var.max_capacity >= var.min_capacity
      error_message = "max_capacity (${var.max_capacity}) must be at least min_capacity (${var.min_capacity}), e.g. min 2 and max 10."
    }
  }
}

locals {
  # One target-tracking policy per metric, named "<service name>-<key>".
  scaling_targets = {
    cpu    = { metric = "ECSServiceAverageCPUUtilization", target_percent = var.cpu_target_percent }
    memory = { metric = "ECSServiceAverageMemoryUtilization", target_percent = var.memory_target_percent }
  }
}

resource "aws_appautoscaling_policy" "this" {
  for_each = local.scaling_targets

  name               = "${local.service_name}-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
    target_value       = each.value.target_percent
    scale_in_cooldown  = var.scale_in_cooldown
    scale_out_cooldown = var.scale_out_cooldown
  }
}
