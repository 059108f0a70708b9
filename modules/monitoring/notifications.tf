# Alarm notifications: an SNS topic encrypted with a customer-managed key (the caller's, or one of its own made by
# modules/kms-key), created only when an e-mail address is given and no existing topic is.

locals {
  create_topic           = var.alarm_sns_topic_arn == "" && var.alarm_email != ""
  topic_name             = "${var.name}-alarms"
  topic_arn              = "arn:${data.aws_partition.current.partition}:sns:${local.region}:${data.aws_caller_identity.current.account_id}:${local.topic_name}"
  notification_topic_arn = var.alarm_sns_topic_arn != "" ? var.alarm_sns_topic_arn : (local.create_topic ? aws_sns_topic.alarms[0].arn : null)
}

# The topic's key, unless the caller passes one. CloudWatch publishes alarm notifications to the encrypted topic:
# it needs a data key for this topic only, and only for alarms of this environment in this account.
module "kms_key" {
  source = "../kms-key"
  count  = local.create_topic && var.kms_key_arn == "" ? 1 : 0

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
      { test = "ArnLike", variable = "aws:SourceArn", values = ["${local.alarm_arn_prefix}${var.name}-*"] },
    ]
  }]
  tags = var.tags
}

resource "aws_sns_topic" "alarms" {
  count = local.create_topic ? 1 : 0

  name              = local.topic_name
  kms_master_key_id = var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "alarms_topic" {
  count = local.create_topic ? 1 : 0

  statement {
    sid = "AccountManagesTheTopic"
    actions = [
      "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission",
      "sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish",
    ]
    resources = [aws_sns_topic.alarms[0].arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms[0].arn]
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
      values   = ["${local.alarm_arn_prefix}${var.name}-*"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  count = local.create_topic ? 1 : 0

  arn    = aws_sns_topic.alarms[0].arn
  policy = data.aws_iam_policy_document.alarms_topic[0].json
}

# The recipient must confirm the subscription from the e-mail AWS sends.
resource "aws_sns_topic_subscription" "email" {
  count = local.create_topic ? 1 : 0

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
