# Plan-time tests with an offline AWS provider (policy documents are rendered locally): no credentials or emulator
# needed. The key module is overridden (the key and its policy are tested once, in modules/kms-key).

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
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


run "no_resource_policy_without_readers" {
  command = plan

  assert {
    condition     = length(aws_secretsmanager_secret_policy.only_the_readers) == 0
    error_message = "without reader_role_names the secret has no resource policy"
  }
}

run "only_the_readers_and_administrators_get_the_value" {
  command = plan

  variables {
    reader_role_names  = ["fas-test-backend-task"]
    administrator_arns = ["arn:aws:iam::123456789012:role/break-glass"]
  }

  assert {
    condition = jsondecode(data.aws_iam_policy_document.only_the_readers[0].json).Statement == [{
      Sid       = "OnlyTheReadersGetTheValue"
      Effect    = "Deny"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
      Principal = "*"
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = ["arn:aws:iam::123456789012:role/fas-test-backend-task", "arn:aws:iam::123456789012:role/break-glass"] } }
    }]
    error_message = "the resource policy must deny GetSecretValue to every principal but the reader roles and the administrators"
  }
  assert {
    condition     = aws_secretsmanager_secret_policy.only_the_readers[0].block_public_policy
    error_message = "the secret's policy must block public access"
  }
}

run "rejects_a_reader_arn_for_a_name" {
  command = plan

  variables {
    reader_role_names = ["arn:aws:iam::123456789012:role/fas-test-backend-task"]
  }

  expect_failures = [var.reader_role_names]
}

run "rejects_wildcard_administrators" {
  command = plan

  variables {
    reader_role_names  = ["fas-test-backend-task"]
    administrator_arns = ["arn:aws:iam::123456789012:role/*"]
  }

  expect_failures = [var.administrator_arns]
}

run "administrators_need_readers" {
  command = plan

  variables {
    administrator_arns = ["arn:aws:iam::123456789012:role/break-glass"]
  }

  expect_failures = [var.administrator_arns]
}
