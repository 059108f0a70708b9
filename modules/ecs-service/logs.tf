# The service's log group, encrypted with a customer-managed key (the caller's, or one of its own made by
# modules/kms-key that CloudWatch Logs may use for this one log group only).

locals {
  log_group_name  = var.log_group_name != "" ? var.log_group_name : "/ecs/${var.name}/${var.service}"
  log_kms_key_arn = var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn
  log_group_arn   = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"
}

# The logs' key, unless the caller passes one: CloudWatch Logs may use it for this one log group only.
module "kms_key" {
  source = "../kms-key"
  count  = var.kms_key_arn == "" ? 1 : 0

  alias                   = "${var.name}-${var.service}-logs"
  description             = "Encrypts the logs of ${var.name}-${var.service}"
  deletion_window_in_days = var.kms_key_deletion_window_days
  log_group_names         = [local.log_group_name]
  tags                    = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:retention is the caller's choice per environment (log_retention_days in live/<env>/env.hcl: 7 days in dev, 90 in prod, validated to CloudWatch's values); a one-year floor is a compliance rule this template does not impose
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = local.log_kms_key_arn
  tags              = var.tags
}
