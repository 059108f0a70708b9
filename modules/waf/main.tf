# A regional AWS WAF web ACL in front of one Application Load Balancer: AWS's managed rule groups for common
# exploits, known bad inputs and IP reputation, a per-IP rate limit on the chat API, a request-size limit equal to
# the app's own, and logs of every request in a KMS-encrypted log group with the credentials headers redacted. An
# alarm notifies the environment's topic when blocks surge.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  region         = data.aws_region.current.name
  account_id     = data.aws_caller_identity.current.account_id
  log_group_name = "aws-waf-logs-${var.name}"
  log_group_arn  = "arn:${data.aws_partition.current.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"
  kms_key_arn    = var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn
  alarm_actions  = var.alarm_topic_arn == "" ? [] : [var.alarm_topic_arn]

  # AWS's managed rule groups, evaluated after the cheap rules of this module. The Common rule set blocks any body
  # above 8 KB (SizeRestrictions_BODY): a long conversation is a larger POST /api/chat, so that rule only counts
  # here and the rule "body-too-large" enforces the app's own limit instead.
  managed_rule_groups = {
    AWSManagedRulesAmazonIpReputationList = { priority = 10, count_rules = [] }
    AWSManagedRulesCommonRuleSet          = { priority = 40, count_rules = ["SizeRestrictions_BODY"] }
    AWSManagedRulesKnownBadInputsRuleSet  = { priority = 50, count_rules = [] }
  }

  # WAF inspects at most the first 8 KB of a body behind an ALB, so the size of a larger body is known only from its
  # Content-Length header: a regular expression that matches exactly the decimal numbers above max_body_bytes
  # (more digits, or as many digits and larger at the first digit that differs).
  max_body_digits = tostring(var.max_body_bytes)
  body_size_alternatives = concat(
    ["[1-9][0-9]{${length(local.max_body_digits)},}"],
    [
      for i in range(length(local.max_body_digits)) : join("", [
        substr(local.max_body_digits, 0, i),
        "[${tonumber(substr(local.max_body_digits, i, 1)) + 1}-9]",
        length(local.max_body_digits) - i - 1 > 0 ? "[0-9]{${length(local.max_body_digits) - i - 1}}" : "",
      ]) if substr(local.max_body_digits, i, 1) != "9"
    ],
  )
  content_length_above_limit = "^0*(${join("|", local.body_size_alternatives)})$"
}

# The logs' key, unless the caller passes one: CloudWatch Logs may use it for this one log group only.
module "kms_key" {
  source = "../kms-key"
  count  = var.kms_key_arn == "" ? 1 : 0

  alias                   = "${var.name}-waf-logs"
  description             = "Encrypts the WAF logs of ${var.name}"
  deletion_window_in_days = var.kms_key_deletion_window_days
  log_group_names         = [local.log_group_name]
  tags                    = var.tags
}

resource "aws_wafv2_web_acl" "this" {
  #checkov:skip=CKV_AWS_192:AWSManagedRulesKnownBadInputsRuleSet (with its Log4JRCE rule, no override) is in local.managed_rule_groups, rendered by the dynamic rule block that checkov does not expand; tests/waf.tftest.hcl asserts it
  name        = var.name
  description = "In front of the load balancer of ${var.name}"
  scope       = "REGIONAL"
  tags        = var.tags

  default_action {
    allow {}
  }

  dynamic "rule" {
    for_each = local.managed_rule_groups
    content {
      name     = rule.key
      priority = rule.value.priority

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.key

          dynamic "rule_action_override" {
            for_each = rule.value.count_rules
            content {
              name = rule_action_override.value
              action_to_use {
                count {}
              }
            }
          }
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.key
        sampled_requests_enabled   = true
      }
    }
  }

  # Each client address may send this many chat requests per window; the chat is what costs (OpenAI tokens).
  rule {
    name     = "chat-rate-limit-per-ip"
    priority = 20

    action {
      block {}
    }

    statement {
      rate_based_statement {
        aggregate_key_type    = "IP"
        limit                 = var.chat_rate_limit
        evaluation_window_sec = var.chat_rate_window_seconds

        scope_down_statement {
          byte_match_statement {
            search_string         = var.chat_path
            positional_constraint = "STARTS_WITH"
            field_to_match {
              uri_path {}
            }
            # "/API/Chat" and "/api%2Fchat" must not get around the limit.
            text_transformation {
              priority = 0
              type     = "URL_DECODE"
            }
            text_transformation {
              priority = 1
              type     = "LOWERCASE"
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "chat-rate-limit-per-ip"
      sampled_requests_enabled   = true
    }
  }

  # Bodies the app would refuse with a 413 are refused here, before they reach it. A body without Content-Length
  # (chunked) is left to the app's own limit.
  rule {
    name     = "body-too-large"
    priority = 30

    action {
      block {}
    }

    statement {
      regex_match_statement {
        regex_string = local.content_length_above_limit
        field_to_match {
          single_header {
            name = "content-length"
          }
        }
        text_transformation {
          priority = 0
          type     = "NONE"
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "body-too-large"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "alb" {
  resource_arn = var.alb_arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}

# --- Logs -----------------------------------------------------------------------------------------------------

# WAF delivers logs only to log groups whose name starts with "aws-waf-logs-".
resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:retention is the caller's choice per environment (log_retention_days in live/<env>/env.hcl: 7 days in dev, 90 in prod, validated to CloudWatch's values); a one-year floor is a compliance rule this template does not impose
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

# WAF's log delivery writes to this one group, on behalf of this account only. (Without this policy WAF would add
# a broader one of its own on first use.)
data "aws_iam_policy_document" "log_delivery" {
  statement {
    sid       = "WafLogDeliveryWritesThisGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:log-stream:*"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_cloudwatch_log_resource_policy" "log_delivery" {
  policy_name     = "${var.name}-waf-logs"
  policy_document = data.aws_iam_policy_document.log_delivery.json
}

# Every request is logged, with the headers that carry credentials or sessions redacted.
resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.this.arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
  redacted_fields {
    single_header {
      name = "cookie"
    }
  }

  depends_on = [aws_cloudwatch_log_resource_policy.log_delivery]
}

# --- Alarm ----------------------------------------------------------------------------------------------------

# A surge of blocked requests: an attack, a scan, or a rule that started blocking real users (the logs say which).
resource "aws_cloudwatch_metric_alarm" "blocked_requests" {
  alarm_name          = "${var.name}-waf-blocked-requests"
  alarm_description   = "More than ${var.blocked_requests_alarm_threshold} requests blocked by the WAF of ${var.name} in 5 minutes: an attack, a scan, or a rule blocking real users (see the log group ${local.log_group_name})."
  namespace           = "AWS/WAFV2"
  metric_name         = "BlockedRequests"
  dimensions          = { WebACL = aws_wafv2_web_acl.this.name, Region = local.region, Rule = "ALL" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.blocked_requests_alarm_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}
