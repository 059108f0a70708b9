# Plan-time tests with a mocked AWS provider: no credentials or emulator needed. The policies' contents are
# checked in policies.tftest.hcl (the mocked provider cannot render policy documents).

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
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/fas-test-role"
    }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }
}

variables {
  name               = "fas-test"
  secret_arn         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"
  secret_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "three_roles_and_no_ci_by_default" {
  command = plan

  assert {
    condition     = aws_iam_role.execution.name == "fas-test-ecs-execution" && aws_iam_role.backend_task.name == "fas-test-backend-task" && aws_iam_role.frontend_task.name == "fas-test-frontend-task"
    error_message = "role names must follow <name>-<role>"
  }
  assert {
    condition     = length(aws_iam_role.ci) == 0 && length(aws_iam_openid_connect_provider.github) == 0
    error_message = "without github_repository there must be no CI role and no OIDC provider"
  }
  assert {
    condition     = output.ci_role_arn == null
    error_message = "ci_role_arn must be null without a CI role"
  }
  assert {
    condition     = length(aws_iam_role_policy.exec) == 0
    error_message = "ECS Exec permissions must be off by default"
  }
  assert {
    condition     = output.repository_names == { frontend = "fas-test-frontend", backend = "fas-test-backend" }
    error_message = "repository_names must map each app to <name>-<app>"
  }
}

run "frontend_task_role_has_no_permissions" {
  command = plan

  override_resource {
    target = aws_iam_role.execution
    values = { id = "fas-test-ecs-execution" }
  }
  override_resource {
    target = aws_iam_role.backend_task
    values = { id = "fas-test-backend-task" }
  }
  override_resource {
    target = aws_iam_role.frontend_task
    values = { id = "fas-test-frontend-task" }
  }

  assert {
    condition     = aws_iam_role_policy.execution.role != aws_iam_role.frontend_task.id && aws_iam_role_policy.backend_task.role != aws_iam_role.frontend_task.id
    error_message = "the frontend task role must carry no policy"
  }
  assert {
    condition     = aws_iam_role_policy.backend_task.role == aws_iam_role.backend_task.id && aws_iam_role_policy.execution.role == aws_iam_role.execution.id
    error_message = "each policy must be attached to its own role"
  }
}

run "ecs_exec_adds_ssm_channels_to_both_task_roles" {
  command = plan

  variables {
    enable_execute_command = true
  }

  assert {
    condition     = toset(keys(aws_iam_role_policy.exec)) == toset(["frontend", "backend"])
    error_message = "ECS Exec needs the SSM channel policy on both task roles"
  }
}

run "ci_role_creates_the_oidc_provider" {
  command = plan

  variables {
    github_repository = "example-org/fargate-ai-stack"
  }

  assert {
    condition     = length(aws_iam_role.ci) == 1 && aws_iam_role.ci[0].name == "fas-test-ci-deploy"
    error_message = "github_repository must create the CI deploy role"
  }
  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com"
    error_message = "without an existing provider ARN the module creates GitHub's OIDC provider"
  }
  assert {
    condition     = aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "the OIDC provider's audience must be sts.amazonaws.com"
  }
}

run "ci_role_reuses_an_existing_oidc_provider" {
  command = plan

  variables {
    github_repository        = "example-org/fargate-ai-stack"
    github_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && length(aws_iam_role.ci) == 1
    error_message = "an existing OIDC provider ARN must be used instead of creating one"
  }
  assert {
    condition     = output.github_oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "the given provider ARN must be passed through"
  }
}

run "rejects_a_bad_secret_arn" {
  command = plan

  variables {
    secret_arn = "fas-test/openai-api-key"
  }

  expect_failures = [var.secret_arn]
}

run "rejects_a_key_alias_instead_of_a_key_arn" {
  command = plan

  variables {
    secret_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:alias/fas-test-secrets"
  }

  expect_failures = [var.secret_kms_key_arn]
}

run "rejects_a_repository_without_owner" {
  command = plan

  variables {
    github_repository = "fargate-ai-stack"
  }

  expect_failures = [var.github_repository]
}

run "rejects_an_unscoped_subject" {
  command = plan

  variables {
    github_repository = "example-org/fargate-ai-stack"
    github_subjects   = ["*"]
  }

  expect_failures = [var.github_subjects]
}

run "rejects_a_foreign_oidc_provider" {
  command = plan

  variables {
    github_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/example.com"
  }

  expect_failures = [var.github_oidc_provider_arn]
}

run "rejects_a_bad_name" {
  command = plan

  variables {
    name = "Bad_Name"
  }

  expect_failures = [var.name]
}
