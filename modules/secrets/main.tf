# The OpenAI API key's container in Secrets Manager, encrypted with a customer-managed key (the
# caller's, or one of its own made by modules/kms-key).
# Only the container is managed here: the value is set out of band (`npm run secret:set -- --env <env>`), so it
# never appears in code, plans or Terraform state.

locals {
  secret_name = "${var.name}/openai-api-key"
  kms_key_arn = var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn
}

# The secrets' key, unless the caller passes one. No statement for Secrets Manager itself: it acts with the
# caller's own credentials, so IAM policies grant use of the key. A reader such as the backend's task role may
# only kms:Decrypt through Secrets Manager (kms:ViaService) and only for its secret (encryption context).
module "kms_key" {
  source = "../kms-key"
  count  = var.kms_key_arn == "" ? 1 : 0

  alias                   = "${var.name}-secrets"
  description             = "Encrypts the Secrets Manager secrets of ${var.name}"
  deletion_window_in_days = var.kms_key_deletion_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret" "openai_api_key" {
  #checkov:skip=CKV2_AWS_57:the value is an OpenAI API key that only OpenAI issues; Secrets Manager cannot rotate it, so it is replaced out of band (npm run secret:set)
  name        = local.secret_name
  description = "OpenAI API key of ${var.name}, read by the backend at start-up. Set it with: npm run secret:set -- --env ${var.env}"
  kms_key_id  = local.kms_key_arn
  # 0 deletes at once (dev: the name can be reused right after a destroy); 7-30 keeps a recovery window.
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = var.tags
}

# Only the named readers (the backend's task role) and administrators get the value: a resource policy denies
# GetSecretValue to every other principal of any account, whatever its IAM policies allow. By role name, so that
# this unit needs nothing from the unit that makes the role (which itself reads this secret's ARN).
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  reader_arns = concat(
    [for role in var.reader_role_names : "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${role}"],
    var.administrator_arns,
  )
}

data "aws_iam_policy_document" "only_the_readers" {
  count = length(var.reader_role_names) > 0 ? 1 : 0

  statement {
    sid       = "OnlyTheReadersGetTheValue"
    effect    = "Deny"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.reader_arns
    }
  }
}

resource "aws_secretsmanager_secret_policy" "only_the_readers" {
  count = length(var.reader_role_names) > 0 ? 1 : 0

  secret_arn = aws_secretsmanager_secret.openai_api_key.arn
  policy     = data.aws_iam_policy_document.only_the_readers[0].json
  # Secrets Manager refuses a policy that would grant access to anyone outside the account.
  block_public_policy = true
}
