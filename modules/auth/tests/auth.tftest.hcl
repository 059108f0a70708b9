# Plan-time tests with a mocked AWS provider: no credentials or emulator needed. The provider is mocked rather than
# offline because the ephemeral random password is opened on every plan (an offline provider would call Secrets
# Manager's GetRandomPassword, and OpenTofu cannot override an ephemeral resource); so the resource policy is
# checked by its statement, not by rendered JSON. The key module is overridden (the key and its policy are tested
# once, in modules/kms-key). Applied against the emulator, test/infra/modules.test.ts checks that the value is not in
# the state.

mock_provider "aws" {
  mock_resource "aws_cognito_user_pool" {
    defaults = { id = "us-east-1_AbC123", arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/session-secret-AbCdEf" }
  }
  # The mock renders no policy; its statements are asserted instead.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

override_module {
  target = module.kms_key
  outputs = {
    key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws", dns_suffix = "amazonaws.com" }
}

variables {
  name = "fas-test"
}

run "the_pool_signs_in_by_email_with_strong_passwords" {
  command = plan

  assert {
    condition     = aws_cognito_user_pool.this.name == "fas-test-users" && aws_cognito_user_pool.this.username_attributes == toset(["email"])
    error_message = "the pool must be named <name>-users and use the email address as the user name"
  }
  assert {
    condition     = aws_cognito_user_pool.this.auto_verified_attributes == toset(["email"]) && aws_cognito_user_pool.this.username_configuration[0].case_sensitive == false
    error_message = "email addresses are verified and case-insensitive"
  }
  assert {
    condition = aws_cognito_user_pool.this.password_policy[0] == {
      minimum_length                   = 12
      require_lowercase                = true
      require_uppercase                = true
      require_numbers                  = true
      require_symbols                  = true
      temporary_password_validity_days = 3
      password_history_size            = null
    } || (aws_cognito_user_pool.this.password_policy[0].minimum_length == 12 && aws_cognito_user_pool.this.password_policy[0].require_lowercase && aws_cognito_user_pool.this.password_policy[0].require_uppercase && aws_cognito_user_pool.this.password_policy[0].require_numbers && aws_cognito_user_pool.this.password_policy[0].require_symbols && aws_cognito_user_pool.this.password_policy[0].temporary_password_validity_days == 3)
    error_message = "passwords need 12 characters of every class; temporary passwords expire after 3 days"
  }
  assert {
    condition     = [for m in aws_cognito_user_pool.this.account_recovery_setting[0].recovery_mechanism : m.name] == ["verified_email"]
    error_message = "accounts are recovered through the verified email address only (never SMS)"
  }
}

run "by_default_mfa_is_required_no_self_sign_up_and_the_pool_is_protected" {
  command = plan

  assert {
    condition     = aws_cognito_user_pool.this.mfa_configuration == "ON" && aws_cognito_user_pool.this.software_token_mfa_configuration[0].enabled
    error_message = "by default every user needs an authenticator app (TOTP)"
  }
  assert {
    condition     = aws_cognito_user_pool.this.admin_create_user_config[0].allow_admin_create_user_only
    error_message = "by default only administrators create users"
  }
  assert {
    condition     = aws_cognito_user_pool.this.deletion_protection == "ACTIVE"
    error_message = "by default the pool is protected from deletion"
  }
}

run "dev_settings_optional_mfa_self_sign_up_and_no_protection" {
  command = plan

  variables {
    mfa                 = "OPTIONAL"
    self_sign_up        = true
    deletion_protection = false
  }

  assert {
    condition     = aws_cognito_user_pool.this.mfa_configuration == "OPTIONAL" && aws_cognito_user_pool.this.software_token_mfa_configuration[0].enabled
    error_message = "with OPTIONAL, users may set up TOTP"
  }
  assert {
    condition     = !aws_cognito_user_pool.this.admin_create_user_config[0].allow_admin_create_user_only && aws_cognito_user_pool.this.deletion_protection == "INACTIVE"
    error_message = "self_sign_up and deletion_protection must follow their variables"
  }
}

run "mfa_off_has_no_totp_configuration" {
  command = plan

  variables {
    mfa = "OFF"
  }

  assert {
    condition     = aws_cognito_user_pool.this.mfa_configuration == "OFF" && length(aws_cognito_user_pool.this.software_token_mfa_configuration) == 0
    error_message = "with mfa OFF the pool configures no TOTP"
  }
}

run "the_frontends_client_has_no_secret_and_only_password_and_refresh_flows" {
  command = plan

  assert {
    condition     = aws_cognito_user_pool_client.frontend.name == "fas-test-frontend" && aws_cognito_user_pool_client.frontend.generate_secret == false
    error_message = "the frontend's client must have no secret (it would land in the state)"
  }
  assert {
    condition     = toset(aws_cognito_user_pool_client.frontend.explicit_auth_flows) == toset(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    error_message = "the client allows exactly USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH"
  }
  assert {
    condition = (
      aws_cognito_user_pool_client.frontend.access_token_validity == 60 && aws_cognito_user_pool_client.frontend.id_token_validity == 60 &&
      aws_cognito_user_pool_client.frontend.refresh_token_validity == 12 &&
      aws_cognito_user_pool_client.frontend.token_validity_units[0].access_token == "minutes" &&
      aws_cognito_user_pool_client.frontend.token_validity_units[0].id_token == "minutes" &&
      aws_cognito_user_pool_client.frontend.token_validity_units[0].refresh_token == "hours"
    )
    error_message = "access and ID tokens last 60 minutes, refresh tokens 12 hours"
  }
  assert {
    condition     = aws_cognito_user_pool_client.frontend.enable_token_revocation && aws_cognito_user_pool_client.frontend.prevent_user_existence_errors == "ENABLED"
    error_message = "token revocation is on and sign-in errors never tell whether an account exists"
  }
  assert {
    condition     = aws_cognito_user_pool_client.frontend.refresh_token_rotation[0].feature == "ENABLED" && aws_cognito_user_pool_client.frontend.refresh_token_rotation[0].retry_grace_period_seconds == 10
    error_message = "refresh tokens rotate on every refresh (10 s grace for a retried refresh)"
  }
}

run "outputs_follow_the_contract" {
  command = apply

  assert {
    condition     = output.user_pool_id == "us-east-1_AbC123" && output.issuer == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
    error_message = "the issuer is https://cognito-idp.<region from the pool ID>.amazonaws.com/<pool ID>"
  }
  assert {
    condition     = output.session_secret_arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/session-secret-AbCdEf" && output.client_id == aws_cognito_user_pool_client.frontend.id
    error_message = "session_secret_arn and client_id outputs are wrong"
  }
}

run "the_session_key_is_a_write_only_random_value_with_a_customer_key" {
  command = plan

  assert {
    condition     = aws_secretsmanager_secret.session.name == "fas-test/session-secret"
    error_message = "the session key's secret is named <name>/session-secret"
  }
  assert {
    condition     = length(module.kms_key) == 1 && aws_secretsmanager_secret.session.kms_key_id == module.kms_key[0].key_arn && output.session_secret_kms_key_arn == module.kms_key[0].key_arn
    error_message = "the secret must be encrypted with the module's own customer-managed key (modules/kms-key: rotation on)"
  }
  assert {
    # The planned version carries no value: secret_string stays empty (the value goes write-only, never stored).
    condition     = aws_secretsmanager_secret_version.session.secret_string == null && aws_secretsmanager_secret_version.session.secret_string_wo == null && aws_secretsmanager_secret_version.session.secret_string_wo_version == 1
    error_message = "the session key must be written write-only (secret_string_wo, version 1), never as secret_string"
  }
  assert {
    condition     = aws_secretsmanager_secret.session.recovery_window_in_days == 30
    error_message = "by default a deleted secret stays recoverable for 30 days"
  }
}

run "raising_the_version_rotates_the_key" {
  command = plan

  variables {
    session_secret_version  = 2
    recovery_window_in_days = 0
  }

  assert {
    condition     = aws_secretsmanager_secret_version.session.secret_string_wo_version == 2 && aws_secretsmanager_secret.session.recovery_window_in_days == 0
    error_message = "secret_string_wo_version and the recovery window must follow their variables"
  }
}

run "a_given_key_replaces_the_modules_own" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = length(module.kms_key) == 0 && aws_secretsmanager_secret.session.kms_key_id == var.kms_key_arn && output.session_secret_kms_key_arn == var.kms_key_arn
    error_message = "with kms_key_arn the module must make no key and encrypt with the given one"
  }
}

run "no_resource_policy_without_readers" {
  command = plan

  assert {
    condition     = length(aws_secretsmanager_secret_policy.only_the_readers) == 0
    error_message = "without reader_role_names the secret has no resource policy"
  }
}

run "only_the_frontends_execution_role_and_the_administrators_get_the_value" {
  command = plan

  variables {
    reader_role_names  = ["fas-test-frontend-execution"]
    administrator_arns = ["arn:aws:iam::123456789012:role/fas-test-ci-deploy"]
  }

  assert {
    condition = length(data.aws_iam_policy_document.only_the_readers[0].statement) == 1 && alltrue([
      for s in data.aws_iam_policy_document.only_the_readers[0].statement :
      s.sid == "OnlyTheReadersGetTheValue" && s.effect == "Deny" &&
      toset(s.actions) == toset(["secretsmanager:GetSecretValue"]) && toset(s.resources) == toset(["*"]) &&
      length(s.principals) == 1 && alltrue([for p in s.principals : p.type == "*" && toset(p.identifiers) == toset(["*"])]) &&
      length(s.condition) == 1 && alltrue([for c in s.condition :
        c.test == "ArnNotEquals" && c.variable == "aws:PrincipalArn" &&
        tolist(c.values) == tolist(["arn:aws:iam::123456789012:role/fas-test-frontend-execution", "arn:aws:iam::123456789012:role/fas-test-ci-deploy"])
      ])
    ])
    error_message = "the resource policy must deny GetSecretValue to every principal but the reader roles and the administrators"
  }
  assert {
    condition     = aws_secretsmanager_secret_policy.only_the_readers[0].block_public_policy
    error_message = "the secret's policy must block public access"
  }
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    name                              = "Bad_Name"                 # not lowercase
    mfa                               = "optional"                 # not Cognito's spelling
    access_token_validity_minutes     = 2                          # below Cognito's 5 minutes
    refresh_token_retry_grace_seconds = 120                        # above Cognito's 60 seconds
    session_secret_version            = 0                          # versions start at 1
    recovery_window_in_days           = 3                          # neither 0 nor 7-30
    kms_key_arn                       = "alias/aws/secretsmanager" # an alias, not a key ARN
    kms_key_deletion_window_days      = 3                          # below the 7 days AWS requires
    reader_role_names                 = ["arn:aws:iam::123456789012:role/fas-test-frontend-execution"]
  }

  expect_failures = [
    var.name, var.mfa, var.access_token_validity_minutes, var.refresh_token_retry_grace_seconds,
    var.session_secret_version, var.recovery_window_in_days, var.kms_key_arn, var.kms_key_deletion_window_days,
    var.reader_role_names,
  ]
}

run "rejects_a_refresh_token_that_expires_before_the_access_token" {
  command = plan

  variables {
    access_token_validity_minutes = 120
    refresh_token_validity_hours  = 1
  }

  expect_failures = [var.refresh_token_validity_hours]
}

run "rejects_wildcard_administrators" {
  command = plan

  variables {
    reader_role_names  = ["fas-test-frontend-execution"]
    administrator_arns = ["arn:aws:iam::123456789012:role/*"]
  }

  expect_failures = [var.administrator_arns]
}

run "administrators_need_readers" {
  command = plan

  variables {
    administrator_arns = ["arn:aws:iam::123456789012:role/fas-test-ci-deploy"]
  }

  expect_failures = [var.administrator_arns]
}
