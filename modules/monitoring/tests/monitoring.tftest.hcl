# Plan-time tests with a mocked AWS provider: no credentials or emulator needed.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }
}

variables {
  name                    = "fas-test"
  alb_arn_suffix          = "app/fas-test-alb/0123456789abcdef"
  target_group_arn_suffix = "targetgroup/fas-test-frontend/0123456789abcdef"
  cluster_name            = "fas-test"
  # Deliberately not "<name>-<service>": the module must take the names it is given, not build them.
  services    = { frontend = "fas-test-web", backend = "fas-test-api" }
  alarm_names = ["fas-test-web-5xx-rate", "fas-test-web-unhealthy-targets", "fas-test-api-cpu-high"]
  env         = "dev"
  model_prices_usd_per_million_tokens = {
    "gpt-4o-mini"  = { input = 0.15, output = 0.60 }
    "gpt-4.1-mini" = { input = 0.40, output = 1.60 }
  }
  spend_alarm_daily_usd = 20
  alarm_topic_arn       = "arn:aws:sns:us-east-1:123456789012:fas-test-alarms"
}

run "dashboard_covers_the_system" {
  command = plan

  assert {
    condition     = aws_cloudwatch_dashboard.this.dashboard_name == "fas-test"
    error_message = "the dashboard is named after the environment"
  }
  assert {
    condition = alltrue([for metric in ["RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "HealthyHostCount", "CPUUtilization", "MemoryUtilization", "RunningTaskCount"] :
      strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"${metric}\"")
    ])
    error_message = "the dashboard must show requests, 5xx, latency, healthy targets, CPU, memory and running tasks"
  }
  assert {
    condition     = strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"fas-test-web\"") && strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"fas-test-api\"") && !strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "fas-test-frontend\"")
    error_message = "the dashboard must show both services by the names it is given"
  }
  assert {
    condition = one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if w.type == "alarm"]).properties.alarms == [
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:fas-test-web-5xx-rate",
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:fas-test-web-unhealthy-targets",
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:fas-test-api-cpu-high",
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:fas-test-estimated-daily-spend",
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:fas-test-budget-rejections",
    ]
    error_message = "the dashboard's alarm widget must show every alarm it is given and the module's own"
  }
}

run "alarm_names_for_promote" {
  command = plan

  assert {
    condition     = output.alarm_names == tolist(["fas-test-web-5xx-rate", "fas-test-web-unhealthy-targets", "fas-test-api-cpu-high", "fas-test-estimated-daily-spend", "fas-test-budget-rejections"])
    error_message = "alarm_names lists every alarm of the environment (npm run promote checks them)"
  }
}

run "without_given_alarms_the_widget_shows_the_modules_own" {
  command = plan

  variables {
    alarm_names           = []
    spend_alarm_daily_usd = 0
  }

  assert {
    condition = one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if w.type == "alarm"]).properties.alarms == [
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:fas-test-budget-rejections",
    ] && length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 12
    error_message = "without given alarms (and no spend alarm) the dashboard has its eleven metric widgets and the budget rejections alarm"
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.estimated_daily_spend) == 0
    error_message = "spend_alarm_daily_usd = 0 makes no spend alarm"
  }
}

run "usage_widgets_chart_the_backends_metrics" {
  command = plan

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric" && startswith(w.properties.title, "Tokens per hour")] == [[
      ["FargateAiStack", "InputTokens", "Environment", "dev", "Model", "gpt-4.1-mini", { stat = "Sum", label = "gpt-4.1-mini input" }],
      ["FargateAiStack", "InputTokens", "Environment", "dev", "Model", "gpt-4o-mini", { stat = "Sum", label = "gpt-4o-mini input" }],
      ["FargateAiStack", "OutputTokens", "Environment", "dev", "Model", "gpt-4.1-mini", { stat = "Sum", label = "gpt-4.1-mini output" }],
      ["FargateAiStack", "OutputTokens", "Environment", "dev", "Model", "gpt-4o-mini", { stat = "Sum", label = "gpt-4o-mini output" }],
    ]]
    error_message = "tokens per hour: input and output of every priced model, in the environment's dimension"
  }
  assert {
    condition = [for m in one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric" && startswith(w.properties.title, "Estimated spend")]) : m[0] if can(m[0].expression)] == [
      { id = "usd0", expression = "(in0 * 0.4 + out0 * 1.6) / 1000000", label = "gpt-4.1-mini" },
      { id = "usd1", expression = "(in1 * 0.15 + out1 * 0.6) / 1000000", label = "gpt-4o-mini" },
    ]
    error_message = "estimated spend: each model's tokens times its prices per million"
  }
  assert {
    condition = alltrue([for m in one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric" && startswith(w.properties.title, "Time to first token")]) :
    m[1] == "TimeToFirstToken" && m[6].stat == "p95"])
    error_message = "time to first token is shown as p95 per model"
  }
  assert {
    condition = [for m in one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric" && startswith(w.properties.title, "Chats by outcome")]) : [m[1], m[2], m[3], m[4], m[5]]] == [
      for o in ["completed", "client_closed", "upstream_error", "budget_exceeded", "spend_cap_reached"] : ["Requests", "Environment", "dev", "Outcome", o]
    ]
    error_message = "requests by every outcome of the contract"
  }
}

run "spend_and_rejection_alarms_notify_the_topic" {
  command = plan

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.estimated_daily_spend[0].alarm_name == "fas-test-estimated-daily-spend" &&
      aws_cloudwatch_metric_alarm.estimated_daily_spend[0].threshold == 20 &&
      aws_cloudwatch_metric_alarm.estimated_daily_spend[0].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:fas-test-alarms"])
    )
    error_message = "the spend alarm fires at spend_alarm_daily_usd and notifies the topic"
  }
  assert {
    condition = one([for q in aws_cloudwatch_metric_alarm.estimated_daily_spend[0].metric_query : q.expression if q.return_data]) == "(in0 * 0.4 + out0 * 1.6 + in1 * 0.15 + out1 * 0.6) / 1000000" && alltrue([
      for q in aws_cloudwatch_metric_alarm.estimated_daily_spend[0].metric_query : q.metric[0].period == 86400 && q.metric[0].stat == "Sum" && q.metric[0].namespace == "FargateAiStack" && q.metric[0].dimensions["Environment"] == "dev" if !q.return_data
    ])
    error_message = "the spend alarm sums every model's 24-hour token counts times its prices"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.budget_rejections.threshold == 50 && aws_cloudwatch_metric_alarm.budget_rejections.comparison_operator == "GreaterThanThreshold" &&
      toset([for q in aws_cloudwatch_metric_alarm.budget_rejections.metric_query : q.metric[0].dimensions["Outcome"] if !q.return_data]) == toset(["budget_exceeded", "spend_cap_reached"]) &&
      alltrue([for q in aws_cloudwatch_metric_alarm.budget_rejections.metric_query : q.metric[0].period == 300 if !q.return_data]) &&
      aws_cloudwatch_metric_alarm.budget_rejections.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:fas-test-alarms"])
    )
    error_message = "the rejections alarm counts budget_exceeded and spend_cap_reached per 5 minutes and notifies the topic"
  }
}

run "waf_requests_when_a_web_acl_is_given" {
  command = plan

  variables {
    waf_web_acl_name = "fas-test-acl"
  }

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric" && w.properties.title == "WAF requests"] == [[
      ["AWS/WAFV2", "AllowedRequests", "WebACL", "fas-test-acl", "Region", "us-east-1", "Rule", "ALL", { stat = "Sum", label = "allowed" }],
      ["AWS/WAFV2", "BlockedRequests", "WebACL", "fas-test-acl", "Region", "us-east-1", "Rule", "ALL", { stat = "Sum", label = "blocked" }],
    ]]
    error_message = "with a web ACL the dashboard must show its allowed and blocked requests (all rules) in one widget"
  }
  assert {
    condition     = one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if w.type == "alarm"]).y == 36
    error_message = "the usage widgets and the alarm widget move below the WAF widget"
  }
}

run "no_waf_widget_without_a_web_acl" {
  command = plan

  assert {
    condition     = !strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "AWS/WAFV2")
    error_message = "without a web ACL the dashboard has no WAF widget"
  }
}

# Every input below refuses its bad value by its own validation: OpenTofu checks them all, and the run fails if
# any listed input lets its value through.
run "rejects_bad_inputs" {
  command = plan

  variables {
    # The load balancer's full ARN instead of its suffix.
    alb_arn_suffix = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fas-test-alb/0123456789abcdef"
    # No services to show.
    services = {}
    # An empty alarm name.
    alarm_names = [""]
    # A web ACL's ARN instead of its name.
    waf_web_acl_name = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/fas-test/0000"
    # Not an environment name, a negative price, a negative amount, no rejections, a topic's name for its ARN.
    env                                 = "Dev!"
    model_prices_usd_per_million_tokens = { "gpt-4o-mini" = { input = -1, output = 0.6 } }
    spend_alarm_daily_usd               = -5
    budget_rejections_alarm_threshold   = 0
    alarm_topic_arn                     = "fas-test-alarms"
  }

  expect_failures = [
    var.alb_arn_suffix, var.services, var.alarm_names, var.waf_web_acl_name, var.env,
    var.model_prices_usd_per_million_tokens, var.spend_alarm_daily_usd, var.budget_rejections_alarm_threshold,
    var.alarm_topic_arn,
  ]
}
