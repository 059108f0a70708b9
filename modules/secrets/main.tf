# The OpenAI API key's container in Secrets Manager, encrypted with this module's own customer-managed key.
# Only the container is managed here: the value is set out of band (`npm run secret:set -- --env <env>`), so it
# never appears in code, plans or Terraform state.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  secret_name = "${var.name}/openai-api-key"
  account_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

data "aws_iam_policy_document" "key" {
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
      identifiers = [local.account_arn]
    }
  }

  # No statement for Secrets Manager itself: it has no service principal here and acts with the caller's own
  # credentials, so IAM policies grant use of the key. The backend task role may only kms:Decrypt through
  # Secrets Manager (kms:ViaService) and only for this secret (encryption context): see modules/iam.
}

resource "aws_kms_key" "secrets" {
  description             = "Encrypts the Secrets Manager secrets of ${var.name}"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_days
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

resource "aws_secretsmanager_secret" "openai_api_key" {
  name        = local.secret_name
  description = "OpenAI API key of ${var.name}, read by the backend at start-up. Set it with: npm run secret:set -- --env ${var.env}"
  kms_key_id  = aws_kms_key.secrets.arn
  # 0 deletes at once (dev: the name can be reused right after a destroy); 7-30 keeps a recovery window.
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = var.tags
}
