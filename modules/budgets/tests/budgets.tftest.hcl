# Plan-time tests with an offline AWS provider: no credentials or emulator needed. The key module is overridden
# (the key and its policy are tested once, in modules/kms-key).

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

variables {
  name = "fas-test"
}

run "the_table_is_shaped_as_the_contract_says" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this.name == "fas-test-budgets" && output.table_name == "fas-test-budgets"
    error_message = "the table must be named <name>-budgets"
  }
  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
    error_message = "the table must be on demand (PAY_PER_REQUEST)"
  }
  assert {
    condition     = aws_dynamodb_table.this.hash_key == "pk" && aws_dynamodb_table.this.range_key == null
    error_message = "the table has a hash key pk and no range key (the contract's keys)"
  }
  assert {
    condition     = [for a in aws_dynamodb_table.this.attribute : { name = a.name, type = a.type }] == [{ name = "pk", type = "S" }]
    error_message = "pk must be the only declared attribute, a string"
  }
  assert {
    condition     = aws_dynamodb_table.this.ttl[0].enabled && aws_dynamodb_table.this.ttl[0].attribute_name == "expires_at"
    error_message = "the counters must expire by the TTL attribute expires_at"
  }
}

run "encrypted_with_the_modules_own_customer_key" {
  command = plan

  assert {
    condition     = length(module.kms_key) == 1 && aws_dynamodb_table.this.server_side_encryption[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == module.kms_key[0].key_arn
    error_message = "the table must be encrypted with the module's own customer-managed key (modules/kms-key: rotation on)"
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
    condition     = length(module.kms_key) == 0 && aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == var.kms_key_arn && output.kms_key_arn == var.kms_key_arn
    error_message = "with kms_key_arn the module must make no key and encrypt with the given one"
  }
}

run "protected_and_backed_up_by_default" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled && aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "by default the table keeps point-in-time recovery and deletion protection (prod's settings)"
  }
}

run "dev_can_turn_both_off" {
  command = plan

  variables {
    point_in_time_recovery = false
    deletion_protection    = false
  }

  assert {
    condition     = !aws_dynamodb_table.this.point_in_time_recovery[0].enabled && !aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "point_in_time_recovery and deletion_protection must follow their variables"
  }
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    name                         = "Bad_Name"           # not lowercase
    kms_key_arn                  = "alias/aws/dynamodb" # an alias, not a key ARN
    kms_key_deletion_window_days = 3                    # below the 7 days AWS requires
  }

  expect_failures = [var.name, var.kms_key_arn, var.kms_key_deletion_window_days]
}
