# Plan-time tests with a mocked AWS provider: no credentials or emulator needed.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{}"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:us-east-1:123456789012:fas-test-alarms"
    }
  }
}

variables {
  name = "fas-test"
}

run "nothing_without_an_email" {
  command = plan

  assert {
    condition     = length(aws_sns_topic.this) == 0 && length(module.kms_key) == 0 && output.topic_arn == ""
    error_message = "without an e-mail address there is no topic, no key, and the topic output is empty"
  }
}

run "email_notifications_through_an_encrypted_topic" {
  command = apply

  variables {
    alarm_email = "ops@example.com"
  }

  assert {
    condition     = length(aws_sns_topic.this) == 1 && aws_sns_topic.this[0].name == "fas-test-alarms" && aws_sns_topic.this[0].kms_master_key_id == module.kms_key[0].key_arn
    error_message = "the topic <name>-alarms must be encrypted with a rotating customer key"
  }
  assert {
    condition     = aws_sns_topic_subscription.email[0].protocol == "email" && aws_sns_topic_subscription.email[0].endpoint == "ops@example.com"
    error_message = "the e-mail address must be subscribed"
  }
  assert {
    condition     = output.topic_arn == "arn:aws:sns:us-east-1:123456789012:fas-test-alarms"
    error_message = "the topic's ARN is the module's output, for the units whose alarms notify it"
  }
}

run "given_key" {
  command = plan

  variables {
    alarm_email = "ops@example.com"
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = length(module.kms_key) == 0 && aws_sns_topic.this[0].kms_master_key_id == "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    error_message = "a given key is used instead of making one"
  }
}

run "rejects_bad_inputs" {
  command = plan

  variables {
    # Not an e-mail address.
    alarm_email = "not-an-address"
    # An alias, not a key ARN.
    kms_key_arn = "alias/ops"
  }

  expect_failures = [var.alarm_email, var.kms_key_arn]
}
