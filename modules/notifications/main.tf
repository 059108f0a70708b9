# Alarm notifications of one environment: an SNS topic encrypted with a customer-managed key (the caller's, or one
# of its own made by modules/kms-key) and an e-mail subscription, created only when an e-mail address is given.
# It needs nothing from the other units, so it applies at once and every unit with alarms can depend on it.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  create     = var.alarm_email != ""
  topic_name = "${var.name}-alarms"
  topic_arn  = "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${local.topic_name}"
  # Only alarms of this environment (named "<name>-...") in this account may publish.
  alarm_arn_pattern = "arn:${data.aws_partition.current.partition}:cloudwatch:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alarm:${var.name}-*"
}

# The topic's key, unless the caller passes one. CloudWatch publishes alarm notifications to the encrypted topic:
# it needs a data key for this topic only, and only for alarms of this environment in this account.
module "kms_key" {
  source = "../kms-key"
  count  = local.create && var.kms_key_arn == "" ? 1 : 0

  alias                   = "${var.name}-alarms"
  description             = "Encrypts the alarm notifications of ${var.name}"
  deletion_window_in_days = var.kms_key_deletion_window_days
  service_principals = [{
    sid     = "CloudWatchAlarmsPublishToThisTopic"
    service = "cloudwatch.amazonaws.com"
    actions = ["kms:Decrypt", "kms:GenerateDataKey*"]
    conditions = [
      { test = "StringEquals", variable = "kms:EncryptionContext:aws:sns:topicArn", values = [local.topic_arn] },
      { test = "StringEquals", variable = "aws:SourceAccount", values = [data.aws_caller_identity.current.account_id] },
      { test = "ArnLike", variable = "aws:SourceArn", values = [local.alarm_arn_pattern] },
    ]
  }]
  tags = var.tags
}

resource "aws_sns_topic" "this" {
  count = local.create ? 1 : 0

  name              = local.topic_name
  kms_master_key_id = var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  count = local.create ? 1 : 0

  statement {
    sid = "AccountManagesTheTopic"
    actions = [
      "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission",
      "sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish",
    ]
    resources = [aws_sns_topic.this[0].arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this[0].arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.alarm_arn_pattern]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  count = local.create ? 1 : 0

  arn    = aws_sns_topic.this[0].arn
  policy = data.aws_iam_policy_document.topic[0].json
}

# The recipient must confirm the subscription from the e-mail AWS sends.
resource "aws_sns_topic_subscription" "email" {
  count = local.create ? 1 : 0

  topic_arn = aws_sns_topic.this[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
