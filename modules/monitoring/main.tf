# Observability of one environment: a CloudWatch dashboard of the load balancer (and its WAF, if any), the ECS
# services and the chats' token usage and estimated spend, with the state of the environment's alarms. The alarms
# of the services (ecs-service: they roll deployments back) and of the WAF are theirs; this module is given their
# names, so it comes after them and nothing waits for it. Its own alarms, on the backend's usage metrics
# (usage.tf), are about spending and roll nothing back.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  region        = data.aws_region.current.name
  service_names = var.services

  alarm_arn_prefix = "arn:${data.aws_partition.current.partition}:cloudwatch:${local.region}:${data.aws_caller_identity.current.account_id}:alarm:"
  all_alarm_arns   = [for alarm_name in local.alarm_names : "${local.alarm_arn_prefix}${alarm_name}"]

  alb_dimensions          = ["LoadBalancer", var.alb_arn_suffix]
  target_group_dimensions = ["TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.alb_arn_suffix]

  per_service_metric = {
    for metric in ["CPUUtilization", "MemoryUtilization"] : metric => [
      for service, service_name in local.service_names :
      ["AWS/ECS", metric, "ClusterName", var.cluster_name, "ServiceName", service_name, { stat = "Average", label = service }]
    ]
  }

  # Every metric widget is a time series at one-minute resolution in this region, unless it says otherwise.
  metric_widget_defaults = { region = local.region, view = "timeSeries", stacked = false, period = 60 }

  metric_widgets = [
    {
      x = 0, y = 0, width = 12
      properties = {
        title   = "Load balancer requests"
        metrics = [concat(["AWS/ApplicationELB", "RequestCount"], local.alb_dimensions, [{ stat = "Sum", label = "requests" }])]
      }
    },
    {
      x = 12, y = 0, width = 12
      properties = {
        title   = "5xx responses"
        stacked = true
        metrics = [
          concat(["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"], local.alb_dimensions, [{ stat = "Sum", label = "from the load balancer" }]),
          concat(["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"], local.alb_dimensions, [{ stat = "Sum", label = "from the frontend" }]),
        ]
      }
    },
    {
      x = 0, y = 6, width = 12
      properties = {
        title = "Target response time (time to first byte of streamed replies)"
        metrics = [
          for stat in ["p50", "p90", "p99"] :
          concat(["AWS/ApplicationELB", "TargetResponseTime"], local.alb_dimensions, [{ stat = stat, label = stat }])
        ]
      }
    },
    {
      x = 12, y = 6, width = 12
      properties = {
        title = "Frontend targets"
        metrics = [
          concat(["AWS/ApplicationELB", "HealthyHostCount"], local.target_group_dimensions, [{ stat = "Minimum", label = "healthy" }]),
          concat(["AWS/ApplicationELB", "UnHealthyHostCount"], local.target_group_dimensions, [{ stat = "Maximum", label = "unhealthy" }]),
        ]
      }
    },
    {
      x = 0, y = 12, width = 8
      properties = {
        title   = "CPU utilisation (%)"
        metrics = local.per_service_metric["CPUUtilization"]
        yAxis   = { left = { min = 0, max = 100 } }
      }
    },
    {
      x = 8, y = 12, width = 8
      properties = {
        title   = "Memory utilisation (%)"
        metrics = local.per_service_metric["MemoryUtilization"]
        yAxis   = { left = { min = 0, max = 100 } }
      }
    },
    {
      x = 16, y = 12, width = 8
      properties = {
        title = "Running tasks"
        metrics = [
          for service, service_name in local.service_names :
          ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", service_name, { stat = "Average", label = service }]
        ]
      }
    },
  ]

  # The WAF's verdicts on every request (Rule "ALL": the web ACL as a whole), when one is in front of the ALB.
  waf_widgets = var.waf_web_acl_name == "" ? [] : [
    {
      x = 0, y = 18, width = 24
      properties = {
        title = "WAF requests"
        metrics = [
          for metric, label in { AllowedRequests = "allowed", BlockedRequests = "blocked" } :
          ["AWS/WAFV2", metric, "WebACL", var.waf_web_acl_name, "Region", local.region, "Rule", "ALL", { stat = "Sum", label = label }]
        ]
      }
    },
  ]

  widgets = concat(
    [
      for widget in concat(local.metric_widgets, local.waf_widgets, local.usage_widgets) : {
        type       = "metric", x = widget.x, y = widget.y, width = widget.width, height = 6
        properties = merge(local.metric_widget_defaults, widget.properties)
      }
    ],
    # CloudWatch refuses an alarm widget without alarms.
    length(local.all_alarm_arns) == 0 ? [] : [{
      type = "alarm", x = 0, y = local.usage_y + 12, width = 24, height = 4
      properties = {
        title  = "Alarms"
        alarms = local.all_alarm_arns
      }
    }],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })
}
