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
  mock_resource "aws_wafv2_web_acl" {
    defaults = {
      arn = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/fas-test/00000000-0000-0000-0000-000000000000"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-fas-test"
    }
  }
}

variables {
  name    = "fas-test"
  alb_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fas-test-alb/0123456789abcdef"
}

run "managed_rule_groups" {
  command = plan

  assert {
    condition     = aws_wafv2_web_acl.this.scope == "REGIONAL" && length(one(aws_wafv2_web_acl.this.default_action).allow) == 1
    error_message = "the web ACL must be regional (for a load balancer) and allow what no rule blocks"
  }
  assert {
    condition = toset([for r in aws_wafv2_web_acl.this.rule : r.name]) == toset([
      "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
      "chat-rate-limit-per-ip", "body-too-large",
    ])
    error_message = "the web ACL must hold the three AWS managed groups, the chat rate limit and the body-size rule, and nothing else"
  }
  assert {
    condition = alltrue([
      for r in aws_wafv2_web_acl.this.rule : (
        one(one(r.statement).managed_rule_group_statement).vendor_name == "AWS" &&
        one(one(r.statement).managed_rule_group_statement).name == r.name &&
        length(one(r.override_action).none) == 1
      ) if startswith(r.name, "AWSManagedRules")
    ])
    error_message = "each managed rule group must be AWS's own, by its name, with its rules' own actions (override none)"
  }
  assert {
    condition = [
      for r in aws_wafv2_web_acl.this.rule : [
        for o in one(one(r.statement).managed_rule_group_statement).rule_action_override : [o.name, length(one(o.action_to_use).count)]
      ] if r.name == "AWSManagedRulesCommonRuleSet"
    ] == [[["SizeRestrictions_BODY", 1]]]
    error_message = "only the Common rule set's 8 KB body limit may be overridden, to count: the body-size rule enforces the app's own limit"
  }
  assert {
    # checkov's CKV_AWS_192 (Log4Shell) cannot see this through the dynamic block, hence its skip in main.tf.
    condition = alltrue([
      for r in aws_wafv2_web_acl.this.rule :
      length(one(one(r.statement).managed_rule_group_statement).rule_action_override) == 0
      if r.name == "AWSManagedRulesKnownBadInputsRuleSet"
    ])
    error_message = "the known-bad-inputs group (Log4JRCE among its rules) must block with its own actions: no rule of it may be overridden"
  }
  assert {
    condition     = length(distinct([for r in aws_wafv2_web_acl.this.rule : r.priority])) == 5
    error_message = "every rule needs its own priority"
  }
}

run "metrics_on" {
  command = plan

  assert {
    condition = alltrue([
      for v in concat([one(aws_wafv2_web_acl.this.visibility_config)], [for r in aws_wafv2_web_acl.this.rule : one(r.visibility_config)]) :
      v.cloudwatch_metrics_enabled && v.sampled_requests_enabled
    ])
    error_message = "the web ACL and every rule must publish CloudWatch metrics and keep sampled requests"
  }
  assert {
    condition     = one(aws_wafv2_web_acl.this.visibility_config).metric_name == "fas-test"
    error_message = "the web ACL's metrics are named after it"
  }
}

run "chat_rate_limit_per_ip" {
  command = plan

  variables {
    chat_rate_limit          = 120
    chat_rate_window_seconds = 60
  }

  assert {
    condition = [
      for r in aws_wafv2_web_acl.this.rule : {
        block  = length(one(r.action).block)
        limit  = one(one(r.statement).rate_based_statement).limit
        window = one(one(r.statement).rate_based_statement).evaluation_window_sec
        key    = one(one(r.statement).rate_based_statement).aggregate_key_type
      } if r.name == "chat-rate-limit-per-ip"
    ] == [{ block = 1, limit = 120, window = 60, key = "IP" }]
    error_message = "the rate-based rule must block per client IP at the given limit and window"
  }
  assert {
    condition = [
      for r in aws_wafv2_web_acl.this.rule : [
        for m in one(one(one(r.statement).rate_based_statement).scope_down_statement).byte_match_statement : {
          path       = m.search_string
          constraint = m.positional_constraint
          uri_path   = length(one(m.field_to_match).uri_path)
          transforms = [for t in m.text_transformation : t.type]
        }
      ] if r.name == "chat-rate-limit-per-ip"
    ] == [[{ path = "/api/chat", constraint = "STARTS_WITH", uri_path = 1, transforms = ["URL_DECODE", "LOWERCASE"] }]]
    error_message = "the rate limit must count only requests to /api/chat, matched on the decoded, lowercased path"
  }
}

run "body_size_rule_matches_the_apps_limit" {
  command = plan

  assert {
    condition = [
      for r in aws_wafv2_web_acl.this.rule : {
        block  = length(one(r.action).block)
        header = one(one(one(one(r.statement).regex_match_statement).field_to_match).single_header).name
      } if r.name == "body-too-large"
    ] == [{ block = 1, header = "content-length" }]
    error_message = "the body-size rule must block on the Content-Length header"
  }
  # The pattern must match exactly the lengths above 1 MiB (1048576 bytes, the frontend's and backend's limit).
  assert {
    condition = alltrue([
      for r in aws_wafv2_web_acl.this.rule : alltrue(concat(
        [for n in ["1048577", "1048580", "1048600", "1049000", "1050000", "1100000", "2000000", "9999999", "10000000", "0001048577", "123456789012"] : can(regex(one(one(r.statement).regex_match_statement).regex_string, n))],
        [for n in ["0", "8193", "999999", "1000000", "1048000", "1048569", "1048575", "1048576", "0001048576", "1048576 ", "-2000000", "abc"] : !can(regex(one(one(r.statement).regex_match_statement).regex_string, n))],
      )) if r.name == "body-too-large"
    ])
    error_message = "the Content-Length pattern must match every length above 1048576 and none at or below it"
  }
}

run "body_size_limit_by_variable" {
  command = plan

  variables {
    max_body_bytes = 65536
  }

  assert {
    condition = alltrue([
      for r in aws_wafv2_web_acl.this.rule : (
        can(regex(one(one(r.statement).regex_match_statement).regex_string, "65537")) &&
        can(regex(one(one(r.statement).regex_match_statement).regex_string, "70000")) &&
        !can(regex(one(one(r.statement).regex_match_statement).regex_string, "65536")) &&
        !can(regex(one(one(r.statement).regex_match_statement).regex_string, "65529"))
      ) if r.name == "body-too-large"
    ])
    error_message = "the Content-Length pattern must follow max_body_bytes"
  }
}

run "associated_with_the_load_balancer" {
  command = plan

  assert {
    condition     = aws_wafv2_web_acl_association.alb.resource_arn == var.alb_arn
    error_message = "the web ACL must be associated with the given load balancer"
  }
}

run "logs_encrypted_with_credentials_redacted" {
  command = apply

  variables {
    log_retention_days = 90
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "aws-waf-logs-fas-test" && output.log_group_name == "aws-waf-logs-fas-test"
    error_message = "WAF logs only to a log group named aws-waf-logs-<name>"
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == module.kms_key[0].key_arn && aws_cloudwatch_log_group.this.retention_in_days == 90
    error_message = "the log group must be encrypted with the module's customer key and keep logs as long as asked"
  }
  assert {
    condition     = module.kms_key[0].alias_name == "alias/fas-test-waf-logs"
    error_message = "the logs' key is the module's own, for this log group"
  }
  assert {
    condition     = aws_wafv2_web_acl_logging_configuration.this.resource_arn == aws_wafv2_web_acl.this.arn && aws_wafv2_web_acl_logging_configuration.this.log_destination_configs == toset(["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-fas-test"])
    error_message = "the web ACL must log to its log group"
  }
  assert {
    condition     = sort([for f in aws_wafv2_web_acl_logging_configuration.this.redacted_fields : one(f.single_header).name]) == tolist(["authorization", "cookie"])
    error_message = "the logs must redact the Authorization and Cookie headers, and only those"
  }
}

run "given_key" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = length(module.kms_key) == 0 && aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn
    error_message = "a given key is used instead of making one"
  }
}

run "alarm_on_a_surge_of_blocks" {
  command = plan

  variables {
    blocked_requests_alarm_threshold = 250
    alarm_topic_arn                  = "arn:aws:sns:us-east-1:123456789012:fas-test-alarms"
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.blocked_requests.alarm_name == "fas-test-waf-blocked-requests" &&
      aws_cloudwatch_metric_alarm.blocked_requests.namespace == "AWS/WAFV2" &&
      aws_cloudwatch_metric_alarm.blocked_requests.metric_name == "BlockedRequests" &&
      aws_cloudwatch_metric_alarm.blocked_requests.dimensions == tomap({ WebACL = "fas-test", Region = "us-east-1", Rule = "ALL" }) &&
      aws_cloudwatch_metric_alarm.blocked_requests.statistic == "Sum" &&
      aws_cloudwatch_metric_alarm.blocked_requests.threshold == 250
    )
    error_message = "the alarm must watch the web ACL's blocked requests (all rules) against the given threshold"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.blocked_requests.alarm_actions == toset([var.alarm_topic_arn]) && aws_cloudwatch_metric_alarm.blocked_requests.ok_actions == toset([var.alarm_topic_arn])
    error_message = "the alarm must notify the topic when it fires and when it clears"
  }
  assert {
    condition     = output.alarm_name == "fas-test-waf-blocked-requests"
    error_message = "the alarm's name is an output, for the monitoring unit and promote"
  }
}

run "alarm_without_a_topic" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.blocked_requests.alarm_actions) == 0
    error_message = "without a topic the alarm only changes state"
  }
}

# Every input below refuses its bad value by its own validation: OpenTofu checks them all, and the run fails if
# any listed input lets its value through.
run "rejects_bad_inputs" {
  command = plan

  variables {
    # Upper case is not allowed in the environment's names.
    name = "Fas-Test"
    # A Network Load Balancer: WAF cannot protect it.
    alb_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/fas-test-nlb/0123456789abcdef"
    # Not a path.
    chat_path = "api/chat"
    # Below AWS's minimum of 10 requests.
    chat_rate_limit = 5
    # Not one of AWS's evaluation windows.
    chat_rate_window_seconds = 30
    # Below what WAF inspects anyway.
    max_body_bytes = 1024
    # Not a CloudWatch retention.
    log_retention_days = 10
    # An alias, not a key ARN.
    kms_key_arn = "alias/waf"
    # Out of range.
    kms_key_deletion_window_days = 3
    # Zero blocks would always alarm.
    blocked_requests_alarm_threshold = 0
    # Not an SNS topic.
    alarm_topic_arn = "ops@example.com"
  }

  expect_failures = [
    var.name, var.alb_arn, var.chat_path, var.chat_rate_limit, var.chat_rate_window_seconds, var.max_body_bytes,
    var.log_retention_days, var.kms_key_arn, var.kms_key_deletion_window_days, var.blocked_requests_alarm_threshold,
    var.alarm_topic_arn,
  ]
}
