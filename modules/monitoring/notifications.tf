# Alarm notifications: an SNS topic encrypted with the module's own customer-managed key, created only when an
# e-mail address is given and no existing topic is.

locals {
  create_topic           = var.alarm_sns_topic_arn == "" && var.alarm_email != ""
  topic_name             = "${var.name}-alarms"
  topic_arn              = "arn:${data.aws_partition.current.partition}:sns:${local.region}:${data.aws_caller_identity.current.account_id}:${local.topic_name}"
  notification_topic_arn = var.alarm_sns_topic_arn != "" ? var.alarm_sns_topic_arn : (local.create_topic ? aws_sns_topic.alarms[0].arn : null)
}

data "aws_iam_policy_document" "alarms_key" {
  count = local.create_topic ? 1 : 0

  statement {
    # The account keeps full control of the key (so IAM policies can grant use of it and it can never be
    # orphaned), spelled out instead of "kms:*". In a key policy, resource "*" means "this key".
    sid = "AccountAdministration"
    actions = [
      "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
      "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand", "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
    ]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # CloudWatch publishes alarm notifications to the encrypted topic: it needs a data key for this topic only,
  # and only for alarms of this environment in this account.
  statement {
    sid       = "CloudWatchAlarmsPublishToThisTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.topic_arn]
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

resource "aws_kms_key" "alarms" {
  count = local.create_topic ? 1 : 0

  description             = "Encrypts the alarm notifications of ${var.name}"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_days
  policy                  = data.aws_iam_policy_document.alarms_key[0].json
  tags                    = var.tags
}

resource "aws_kms_alias" "alarms" {
  count = local.create_topic ? 1 : 0

  name          = "alias/${var.name}-alarms"
  target_key_id = aws_kms_key.alarms[0].key_id
}

resource "aws_sns_topic" "alarms" {
  count = local.create_topic ? 1 : 0

  name              = local.topic_name
  kms_master_key_id = aws_kms_key.alarms[0].arn
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
