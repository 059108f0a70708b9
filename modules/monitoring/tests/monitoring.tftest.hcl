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
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{}"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:us-east-1:123456789012:fas-test-alarms"
    }
  }
}

variables {
  name                    = "fas-test"
  alb_arn_suffix          = "app/fas-test-alb/0123456789abcdef"
  target_group_arn_suffix = "targetgroup/fas-test-frontend/0123456789abcdef"
  cluster_name            = "fas-test"
}

run "alarms_per_service_and_for_the_load_balancer" {
  command = plan

  assert {
    condition = toset(keys(aws_cloudwatch_metric_alarm.service)) == toset([
      "frontend-unhealthy-targets", "frontend-cpu-high", "frontend-memory-high", "backend-cpu-high", "backend-memory-high",
    ])
    error_message = "every service needs a CPU and a memory alarm (and the load-balanced one an unhealthy-targets alarm)"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.service["backend-cpu-high"].dimensions["ClusterName"] == "fas-test" && aws_cloudwatch_metric_alarm.service["backend-cpu-high"].dimensions["ServiceName"] == "fas-test-backend"
    error_message = "service alarms must watch <name>-<service> in the cluster"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.service["backend-memory-high"].alarm_name == "fas-test-backend-memory-high" && aws_cloudwatch_metric_alarm.service["frontend-unhealthy-targets"].alarm_name == "fas-test-frontend-unhealthy-targets"
    error_message = "service alarms are named \"<name>-<service>-<kind>\""
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.alb_5xx_rate.alarm_name == "fas-test-alb-5xx-rate" && aws_cloudwatch_metric_alarm.alb_5xx_rate.threshold == 5
    error_message = "the 5xx-rate alarm must use the default threshold of 5%"
  }
  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.alb_5xx_rate.metric_query : q if q.return_data == true]).id == "rate"
    error_message = "the 5xx alarm must evaluate the rate expression"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.service["frontend-unhealthy-targets"].dimensions.TargetGroup == "targetgroup/fas-test-frontend/0123456789abcdef"
    error_message = "the unhealthy-targets alarm must watch the frontend target group"
  }
  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && output.notification_topic_arn == null && length(aws_cloudwatch_metric_alarm.alb_5xx_rate.alarm_actions) == 0
    error_message = "without an e-mail or topic there are no notifications"
  }
}

run "deployment_alarms_by_service" {
  command = plan

  assert {
    condition = output.alarm_names_by_service == {
      frontend = ["fas-test-alb-5xx-rate", "fas-test-frontend-unhealthy-targets"]
      backend  = ["fas-test-alb-5xx-rate"]
    }
    error_message = "deployment alarms: 5xx rate for both services, unhealthy targets for the load-balanced one"
  }
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
    condition     = strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "fas-test-frontend") && strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "fas-test-backend")
    error_message = "the dashboard must show both services"
  }
}

run "email_notifications_through_an_encrypted_topic" {
  command = plan

  variables {
    alarm_email = "ops@example.com"
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 1 && aws_sns_topic.alarms[0].kms_master_key_id == module.kms_key[0].key_arn
    error_message = "the topic must be encrypted with a rotating customer key"
  }
  assert {
    condition     = aws_sns_topic_subscription.email[0].protocol == "email" && aws_sns_topic_subscription.email[0].endpoint == "ops@example.com"
    error_message = "the e-mail address must be subscribed"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.service["frontend-memory-high"].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:fas-test-alarms"])
    error_message = "alarms must notify the topic"
  }
}

run "existing_topic" {
  command = plan

  variables {
    alarm_email         = "ops@example.com"
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops-alerts"
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && output.notification_topic_arn == "arn:aws:sns:us-east-1:123456789012:ops-alerts"
    error_message = "a given topic is used instead of creating one"
  }
}

# Every input below refuses its bad value by its own validation: OpenTofu checks them all, and the run fails if
# any listed input lets its value through.
run "rejects_bad_inputs" {
  command = plan

  variables {
    # Not an e-mail address.
    alarm_email = "not-an-address"
    # The load balancer's full ARN instead of its suffix.
    alb_arn_suffix = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fas-test-alb/0123456789abcdef"
    # A percentage above 100.
    cpu_high_threshold_percent = 150
  }

  expect_failures = [var.alarm_email, var.alb_arn_suffix, var.cpu_high_threshold_percent]
}
