# A customer-managed KMS key with rotation, an alias, and a key policy built from what the caller names: the
# account administers the key (spelled out, never "kms:*"), CloudWatch Logs may use it for the named log groups,
# and each listed AWS service may use it only with the actions and conditions given (typically an
# encryption-context condition naming the one resource).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # CloudWatch Logs, the service most keys here are for, gets its statement from the log groups' names alone:
  # it may use the key only for those groups (the encryption context CloudWatch Logs sets names the group).
  log_group_arns = [
    for name in var.log_group_names :
    "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${name}"
  ]
  service_principals = concat(var.service_principals, length(var.log_group_names) == 0 ? [] : [{
    sid        = "CloudWatchLogsUseForThisLogGroup"
    service    = "logs.${data.aws_region.current.name}.amazonaws.com"
    actions    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    conditions = [{ test = "ArnEquals", variable = "kms:EncryptionContext:aws:logs:arn", values = local.log_group_arns }]
  }])
}

data "aws_iam_policy_document" "this" {
  # In a key policy, resource "*" means this one key, and the principals are this account and the named services
  # (with their conditions): these checks read it as an identity policy over every resource.
  #checkov:skip=CKV_AWS_109:a key policy's resource "*" is this key alone; administering its own key is what the account statement is for
  #checkov:skip=CKV_AWS_111:a key policy's resource "*" is this key alone; each service statement is limited by its conditions (e.g. the log group's encryption context)
  #checkov:skip=CKV_AWS_356:a key policy can only name its key as "*" (the key ARN does not exist before the policy does)
  statement {
    # The account keeps full control of the key (so IAM policies can grant use of it and it can never be
    # orphaned). In a key policy, resource "*" means "this key".
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

  dynamic "statement" {
    for_each = local.service_principals
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = [statement.value.service]
      }
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.this.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
