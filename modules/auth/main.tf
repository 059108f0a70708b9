# Sign-in of one environment (contract of issue 13): a Cognito user pool with email addresses as user names, one
# app client for the frontend's server, and the key the frontend encrypts its session cookie with, a Secrets
# Manager secret whose random value never enters plans or state.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# --- User pool ------------------------------------------------------------------------------------------------

resource "aws_cognito_user_pool" "this" {
  # No customer-managed key: Cognito encrypts a user pool with a key of its own, and AWS offers none to choose for
  # the pool itself (only for custom sender triggers, which this pool has none of). Neither scanner asks for one.
  name = "${var.name}-users"

  # The email address is the user name (a second account for the same address is impossible), case-insensitive.
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  username_configuration {
    case_sensitive = false
  }

  # 12 characters of every class; an administrator's temporary password must be changed within 3 days.
  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  # TOTP apps only (no SMS: no phone numbers, no SNS spending limits to manage).
  mfa_configuration = var.mfa
  dynamic "software_token_mfa_configuration" {
    for_each = var.mfa == "OFF" ? [] : [1]
    content {
      enabled = true
    }
  }

  # Accounts are made by administrators unless self sign-up is on.
  admin_create_user_config {
    allow_admin_create_user_only = !var.self_sign_up
  }

  # A forgotten password is reset through the verified email address, never by SMS.
  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  deletion_protection = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  tags                = var.tags
}

# The frontend's server signs users in with their password (USER_PASSWORD_AUTH) and refreshes their tokens. No
# client secret: it would land in the state, and the user's password is the credential.
resource "aws_cognito_user_pool_client" "frontend" {
  name         = "${var.name}-frontend"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret     = false
  explicit_auth_flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

  access_token_validity  = var.access_token_validity_minutes
  id_token_validity      = var.access_token_validity_minutes
  refresh_token_validity = var.refresh_token_validity_hours
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "hours"
  }

  # A signed-out session's refresh token stops working at once, and sign-in failures never tell whether the
  # address has an account.
  enable_token_revocation       = true
  prevent_user_existence_errors = "ENABLED"

  # Every refresh returns a new refresh token and invalidates the old one after the grace period (a replayed
  # stolen refresh token stops working).
  refresh_token_rotation {
    feature                    = "ENABLED"
    retry_grace_period_seconds = var.refresh_token_retry_grace_seconds
  }
}

# --- Session key ----------------------------------------------------------------------------------------------

locals {
  session_secret_name = "${var.name}/session-secret"
  kms_key_arn         = var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn
}

# The session key's own key, unless the caller passes one. No statement for Secrets Manager itself: it acts with
# the caller's credentials, so IAM policies grant use of the key (the frontend's execution role: kms:Decrypt only
# through Secrets Manager).
module "kms_key" {
  source = "../kms-key"
  count  = var.kms_key_arn == "" ? 1 : 0

  alias                   = "${var.name}-session-secret"
  description             = "Encrypts the session cookie key of ${var.name}"
  deletion_window_in_days = var.kms_key_deletion_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret" "session" {
  #checkov:skip=CKV2_AWS_57:the value is a random key only the frontend reads; it is rotated by raising session_secret_version (a new random value, written write-only), not by a rotation Lambda
  name        = local.session_secret_name
  description = "Key the frontend of ${var.name} encrypts its session cookies with (SESSION_SECRET, injected by ECS). Random, written by OpenTofu write-only: raise session_secret_version to rotate it."
  kms_key_id  = local.kms_key_arn
  # 0 deletes at once (dev: the name can be reused right after a destroy); 7-30 keeps a recovery window.
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "session" {
  secret_id        = aws_secretsmanager_secret.session.id
  secret_string_wo = ephemeral.aws_secretsmanager_random_password.session.random_password
  # A new number writes a new random value (the old one stays as AWSPREVIOUS until the next).
  secret_string_wo_version = var.session_secret_version
}

# Only the named readers (the frontend's execution role, which ECS uses to inject SESSION_SECRET) and
# administrators get the value: a resource policy denies GetSecretValue to every other principal of any account,
# whatever its IAM policies allow. By role name, so that this unit needs nothing from the unit that makes the role.
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

  secret_arn = aws_secretsmanager_secret.session.arn
  policy     = data.aws_iam_policy_document.only_the_readers[0].json
  # Secrets Manager refuses a policy that would grant access to anyone outside the account.
  block_public_policy = true
}
