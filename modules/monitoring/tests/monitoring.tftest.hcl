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
    ]
    error_message = "the dashboard's alarm widget must show every alarm it is given"
  }
}

run "alarm_names_for_promote" {
  command = plan

  assert {
    condition     = output.alarm_names == tolist(["fas-test-web-5xx-rate", "fas-test-web-unhealthy-targets", "fas-test-api-cpu-high"])
    error_message = "alarm_names lists every alarm of the environment (npm run promote checks them)"
  }
}

run "no_alarm_widget_without_alarms" {
  command = plan

  variables {
    alarm_names = []
  }

  assert {
    condition     = length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if w.type == "alarm"]) == 0 && length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 7
    error_message = "without alarms the dashboard has its seven metric widgets and no (refused) empty alarm widget"
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
    condition     = one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if w.type == "alarm"]).y == 24
    error_message = "the alarm widget moves below the WAF widget"
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
  }

  expect_failures = [var.alb_arn_suffix, var.services, var.alarm_names, var.waf_web_acl_name]
}
