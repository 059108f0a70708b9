# The token budgets of one environment: a DynamoDB table of daily counters that the backend reserves and settles
# with conditional ADDs (contract of issue 13): per user `pk = "user#<sub>#<YYYY-MM-DD>"` and per environment
# `pk = "env#<ENVIRONMENT_NAME>#<YYYY-MM-DD>"`, attribute `tokens` (N) and `expires_at` (N, epoch seconds), the
# table's TTL attribute: a day's counters delete themselves 35 days after the day ends.
#
# Encrypted with a customer-managed key (the caller's, or one of its own made by modules/kms-key). No service
# statement in the key policy: DynamoDB uses the key with the caller's permissions (it creates a grant for the
# table when the table is made), so IAM policies decide who may use it; the backend's task role may kms:Decrypt
# only through DynamoDB and only for this table (live/_envcommon/backend.hcl).

locals {
  table_name  = "${var.name}-budgets"
  kms_key_arn = var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn
}

module "kms_key" {
  source = "../kms-key"
  count  = var.kms_key_arn == "" ? 1 : 0

  alias                   = "${var.name}-budgets"
  description             = "Encrypts the token budgets table of ${var.name}"
  deletion_window_in_days = var.kms_key_deletion_window_days
  tags                    = var.tags
}

resource "aws_dynamodb_table" "this" {
  name = local.table_name
  # On demand: the counters see a few writes per chat, in bursts; nothing to size or scale.
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = local.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  deletion_protection_enabled = var.deletion_protection
  tags                        = var.tags
}
