# The service's own alarms, named "<name>-<service>-<kind>": CPU and memory (load: people and autoscaling answer
# them), and behind a load balancer its 5xx rate and unhealthy targets (this release is broken: they roll the
# deployment back). They watch the service by its name, so they need nothing from the service resource and the
# service can name them in its deployment alarms.

locals {
  alarm_actions = var.alarm_topic_arn == "" ? [] : [var.alarm_topic_arn]

  # "arn:...:targetgroup/<name>/<id>" -> "targetgroup/<name>/<id>", the TargetGroup dimension of ALB metrics.
  target_group_arn_suffix = local.load_balanced ? regex("targetgroup/.+$", var.target_group_arn) : ""
  target_group_dimensions = { TargetGroup = local.target_group_arn_suffix, LoadBalancer = var.load_balancer_arn_suffix }

  utilisation_alarms = {
    cpu-high    = { resource = "CPU", metric_name = "CPUUtilization", threshold = var.cpu_high_threshold_percent, meaning = "autoscaling is at its maximum or cannot keep up" }
    memory-high = { resource = "memory", metric_name = "MemoryUtilization", threshold = var.memory_high_threshold_percent, meaning = "tasks risk being killed out of memory" }
  }

  # Alarms that roll a deployment back: signs that the new release itself is broken (errors users see, targets
  # failing health checks). CPU and memory are load signals, not release quality: a deployment during a traffic
  # peak must not be rolled back because of them.
  own_deployment_alarm_names = local.load_balanced ? [
    aws_cloudwatch_metric_alarm.http_5xx_rate[0].alarm_name,
    aws_cloudwatch_metric_alarm.unhealthy_targets[0].alarm_name,
  ] : []
  # Services this one serves whose users see its failures as their 5xx (the backend's through the frontend). By
  # the 5xx-rate alarm's name: those services may apply after this one.
  upstream_deployment_alarm_names = [for service in var.deployment_alarm_services : "${var.name}-${service}-5xx-rate"]
  deployment_alarm_names          = distinct(concat(local.own_deployment_alarm_names, local.upstream_deployment_alarm_names, var.deployment_alarm_names))

  alarm_names = concat(
    local.own_deployment_alarm_names,
    [for kind in keys(local.utilisation_alarms) : aws_cloudwatch_metric_alarm.utilisation[kind].alarm_name],
  )
}

resource "aws_cloudwatch_metric_alarm" "utilisation" {
  for_each = local.utilisation_alarms

  alarm_name          = "${local.service_name}-${each.key}"
  alarm_description   = "Average ${each.value.resource} of ${local.service_name} above ${each.value.threshold}% for ${var.alarm_evaluation_periods} minutes: ${each.value.meaning}."
  namespace           = "AWS/ECS"
  metric_name         = each.value.metric_name
  dimensions          = { ClusterName = var.cluster_name, ServiceName = local.service_name }
  statistic           = "Average"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  evaluation_periods  = var.alarm_evaluation_periods
  datapoints_to_alarm = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  count = local.load_balanced ? 1 : 0

  alarm_name          = "${local.service_name}-unhealthy-targets"
  alarm_description   = "At least one task of ${local.service_name} failed the load balancer's health checks in ${var.alarm_evaluation_periods} consecutive minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = local.target_group_dimensions
  statistic           = "Maximum"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = var.alarm_evaluation_periods
  datapoints_to_alarm = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  lifecycle {
    precondition {
      condition     = var.load_balancer_arn_suffix != ""
      error_message = "load_balancer_arn_suffix must be set with target_group_arn (the load balancer's metrics are per load balancer), e.g. \"app/fargate-ai-stack-dev-alb/0123456789abcdef\"."
    }
  }
}

# Share of this service's requests answered with a 5xx, only once there is enough traffic for a percentage to mean
# something. The load balancer's own 5xx (a 502 or 503 when targets crash or none is healthy) are counted per load
# balancer only, so behind a load balancer shared by several services they count for each of them.
resource "aws_cloudwatch_metric_alarm" "http_5xx_rate" {
  count = local.load_balanced ? 1 : 0

  alarm_name          = "${local.service_name}-5xx-rate"
  alarm_description   = "More than ${var.http_5xx_rate_threshold_percent}% of requests to ${local.service_name} failed with a 5xx in ${var.alarm_evaluation_periods} of the last ${var.alarm_evaluation_periods} minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.http_5xx_rate_threshold_percent
  evaluation_periods  = var.alarm_evaluation_periods
  datapoints_to_alarm = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    label       = "5xx rate (%)"
    expression  = "IF(requests >= ${var.http_5xx_min_requests}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = local.target_group_dimensions
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "elb5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.load_balancer_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "target5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = local.target_group_dimensions
      period      = 60
      stat        = "Sum"
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.load_balancer_arn_suffix != ""
      error_message = "load_balancer_arn_suffix must be set with target_group_arn (the load balancer's metrics are per load balancer), e.g. \"app/fargate-ai-stack-dev-alb/0123456789abcdef\"."
    }
  }
}
