# The key policy as the real AWS provider renders it (aws_iam_policy_document needs no AWS access); the one data
# source that would call AWS (the caller's account) is overridden. Plan only: nothing is created and no
# credentials are needed. This is the one test of the key policy every encrypting module uses.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
  }
}

variables {
  alias           = "fas-test-logs"
  description     = "Encrypts the logs of fas-test"
  log_group_names = ["/ecs/fas-test/backend"]
  service_principals = [{
    sid     = "CloudWatchAlarmsPublishToThisTopic"
    service = "cloudwatch.amazonaws.com"
    actions = ["kms:Decrypt", "kms:GenerateDataKey*"]
    conditions = [{
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = ["arn:aws:sns:us-east-1:123456789012:fas-test-alarms"]
    }]
  }]
}

run "account_administers_and_each_service_uses_only_under_its_conditions" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_alias.this.name == "alias/fas-test-logs"
    error_message = "the key rotates and carries its alias"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(output.policy).Statement : alltrue([for a in flatten([s.Action]) : a != "*" && a != "kms:*"])
    ])
    error_message = "the key policy must spell out its actions (no kms:* or *)"
  }
  assert {
    condition = [for s in jsondecode(output.policy).Statement : s.Principal if s.Sid == "AccountAdministration"] == [
      { AWS = "arn:aws:iam::123456789012:root" }
    ]
    error_message = "the account (and only the account) administers the key"
  }
  assert {
    condition = [for s in jsondecode(output.policy).Statement : s if s.Sid != "AccountAdministration"] == [
      {
        Sid       = "CloudWatchAlarmsPublishToThisTopic"
        Effect    = "Allow"
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Condition = {
          StringEquals = { "kms:EncryptionContext:aws:sns:topicArn" = "arn:aws:sns:us-east-1:123456789012:fas-test-alarms" }
        }
      },
      {
        Sid       = "CloudWatchLogsUseForThisLogGroup"
        Effect    = "Allow"
        Action    = ["kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Encrypt", "kms:Describe*", "kms:Decrypt"]
        Resource  = "*"
        Principal = { Service = "logs.us-east-1.amazonaws.com" }
        Condition = {
          ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/backend" }
        }
      },
    ]
    error_message = "each service may use the key only for the resource its encryption-context condition names (CloudWatch Logs: the named log groups)"
  }
  assert {
    condition     = length(jsondecode(output.policy).Statement) == 3
    error_message = "no statement beyond the account's and the named services'"
  }
}

run "without_services_only_the_account_is_named" {
  command = plan

  variables {
    service_principals = []
    log_group_names    = []
  }

  assert {
    condition     = [for s in jsondecode(output.policy).Statement : s.Sid] == ["AccountAdministration"]
    error_message = "without service principals only the account's statement remains"
  }
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    alias                   = "alias/fas-test"  # with the alias/ prefix
    deletion_window_in_days = 3                 # below the 7 days AWS requires
    log_group_names         = ["/ecs/fas test"] # not a log group name
    # A wildcard action.
    service_principals = [{ sid = "TooBroad", service = "logs.us-east-1.amazonaws.com", actions = ["kms:*"] }]
  }

  expect_failures = [var.alias, var.service_principals, var.deletion_window_in_days, var.log_group_names]
}

