locals {
  alarm_actions = local.notification_topic_arn == null ? [] : [local.notification_topic_arn]

  # Average utilisation of a service's tasks that people should hear about.
  utilisation_alarms = {
    cpu-high    = { resource = "CPU", metric_name = "CPUUtilization", threshold = var.cpu_high_threshold_percent, meaning = "autoscaling is at its maximum or cannot keep up" }
    memory-high = { resource = "memory", metric_name = "MemoryUtilization", threshold = var.memory_high_threshold_percent, meaning = "tasks risk being killed out of memory" }
  }

  # The alarms on one metric of one service, each named "<name>-<key>", in the dashboard's order: the
  # load-balanced service's targets failing health checks, then every service's average CPU and memory.
  service_alarms = concat(
    [{
      key         = "${var.load_balanced_service}-unhealthy-targets"
      description = "At least one ${var.load_balanced_service} task of ${var.name} failed the load balancer's health checks in ${var.evaluation_periods} consecutive minutes."
      namespace   = "AWS/ApplicationELB"
      metric_name = "UnHealthyHostCount"
      dimensions  = { TargetGroup = var.target_group_arn_suffix, LoadBalancer = var.alb_arn_suffix }
      statistic   = "Maximum"
      threshold   = 0
    }],
    flatten([for kind, alarm in local.utilisation_alarms : [for service, service_name in local.service_names : {
      key         = "${service}-${kind}"
      description = "Average ${alarm.resource} of ${service_name} above ${alarm.threshold}% for ${var.evaluation_periods} minutes: ${alarm.meaning}."
      namespace   = "AWS/ECS"
      metric_name = alarm.metric_name
      dimensions  = { ClusterName = var.cluster_name, ServiceName = service_name }
      statistic   = "Average"
      threshold   = alarm.threshold
    }]]),
  )

  alarm_arn_prefix = "arn:${data.aws_partition.current.partition}:cloudwatch:${local.region}:${data.aws_caller_identity.current.account_id}:alarm:"
  all_alarm_names = concat(
    [aws_cloudwatch_metric_alarm.alb_5xx_rate.alarm_name],
    [for alarm in local.service_alarms : aws_cloudwatch_metric_alarm.service[alarm.key].alarm_name],
  )
  all_alarm_arns = [for alarm_name in local.all_alarm_names : "${local.alarm_arn_prefix}${alarm_name}"]

  # Alarms that roll a deployment back: signs that the new release itself is broken (errors users see,
  # targets failing health checks). CPU and memory alarms are load signals for people and autoscaling, not
  # release quality, so they never roll back a deployment.
  alarm_names_by_service = {
    for service in var.services : service => concat(
      [aws_cloudwatch_metric_alarm.alb_5xx_rate.alarm_name],
      service == var.load_balanced_service ? [aws_cloudwatch_metric_alarm.service["${service}-unhealthy-targets"].alarm_name] : [],
    )
  }
}

# Share of requests answered with a 5xx (by the load balancer or by the frontend, which also relays the
# backend's failures), only once there is enough traffic for a percentage to mean something.
resource "aws_cloudwatch_metric_alarm" "alb_5xx_rate" {
  alarm_name          = "${var.name}-alb-5xx-rate"
  alarm_description   = "More than ${var.alb_5xx_rate_threshold_percent}% of requests to ${var.name} failed with a 5xx in ${var.evaluation_periods} of the last ${var.evaluation_periods} minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_5xx_rate_threshold_percent
  evaluation_periods  = var.evaluation_periods
  datapoints_to_alarm = var.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    label       = "5xx rate (%)"
    expression  = "IF(requests >= ${var.alb_5xx_min_requests}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "elb5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "target5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "service" {
  for_each = { for alarm in local.service_alarms : alarm.key => alarm }

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  evaluation_periods  = var.evaluation_periods
  datapoints_to_alarm = var.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}
