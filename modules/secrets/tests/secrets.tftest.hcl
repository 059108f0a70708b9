# Plan-time tests with a mocked AWS provider: no credentials or emulator needed. The key module is overridden
# (the key and its policy are tested once, in modules/kms-key).

mock_provider "aws" {}

override_module {
  target = module.kms_key
  outputs = {
    key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

variables {
  name = "fas-test"
  env  = "dev"
}

run "secret_is_a_named_container_with_a_customer_key" {
  command = plan

  assert {
    condition     = aws_secretsmanager_secret.openai_api_key.name == "fas-test/openai-api-key"
    error_message = "the secret must be named <name>/openai-api-key (the secret:set command looks it up by that name)"
  }
  assert {
    condition     = length(module.kms_key) == 1 && aws_secretsmanager_secret.openai_api_key.kms_key_id == module.kms_key[0].key_arn
    error_message = "the secret must be encrypted with the module's own customer-managed key (modules/kms-key: rotation on)"
  }
  assert {
    condition     = aws_secretsmanager_secret.openai_api_key.recovery_window_in_days == 30
    error_message = "by default a deleted secret stays recoverable for 30 days"
  }
  assert {
    condition     = strcontains(aws_secretsmanager_secret.openai_api_key.description, "npm run secret:set -- --env dev")
    error_message = "the secret's description tells how to set its value"
  }
}

run "outputs_expose_arn_name_and_key" {
  command = plan

  assert {
    condition     = output.secret_name == "fas-test/openai-api-key"
    error_message = "secret_name output is wrong"
  }
  assert {
    condition     = output.kms_key_arn == "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    error_message = "kms_key_arn output is wrong"
  }
}

run "a_given_key_replaces_the_modules_own" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = length(module.kms_key) == 0 && aws_secretsmanager_secret.openai_api_key.kms_key_id == var.kms_key_arn && output.kms_key_arn == var.kms_key_arn
    error_message = "with kms_key_arn the module must make no key and encrypt with the given one"
  }
}

run "dev_deletes_at_once" {
  command = plan

  variables {
    recovery_window_in_days = 0
  }

  assert {
    condition     = aws_secretsmanager_secret.openai_api_key.recovery_window_in_days == 0
    error_message = "recovery window must follow the variable"
  }
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    name                         = "Bad_Name"                 # not lowercase
    env                          = "Prod!"                    # not a name
    kms_key_arn                  = "alias/aws/secretsmanager" # an alias, not a key ARN
    recovery_window_in_days      = 3                          # neither 0 nor 7-30
    kms_key_deletion_window_days = 3                          # below the 7 days AWS requires
  }

  expect_failures = [var.name, var.env, var.kms_key_arn, var.recovery_window_in_days, var.kms_key_deletion_window_days]
}

