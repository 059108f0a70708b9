# Plan-time tests with a mocked AWS provider: no credentials or emulator needed. The policies' contents are
# checked in policies.tftest.hcl (the mocked provider cannot render policy documents).

mock_provider "aws" {
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
  repository_arns    = ["arn:aws:ecr:us-east-1:123456789012:repository/fas-test-backend"]
  service_arns       = ["arn:aws:ecs:us-east-1:123456789012:service/fas-test/fas-test-backend"]
  passable_role_arns = ["arn:aws:iam::123456789012:role/fas-test-backend-task"]
}

run "no_ci_role_by_default" {
  command = plan

  assert {
    condition     = length(aws_iam_role.ci) == 0 && length(aws_iam_openid_connect_provider.github) == 0
    error_message = "without github_repository the module creates nothing"
  }
  assert {
    condition     = output.ci_role_arn == null
    error_message = "ci_role_arn must be null without a CI role"
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

run "ci_role_refuses_to_deploy_nothing" {
  command = plan

  variables {
    github_repository = "example-org/fargate-ai-stack"
    service_arns      = []
  }

  expect_failures = [aws_iam_role_policy.ci]
}

run "rejects_a_wildcard_repository" {
  command = plan

  variables {
    repository_arns = ["*"]
  }

  expect_failures = [var.repository_arns]
}

run "rejects_a_role_wildcard" {
  command = plan

  variables {
    passable_role_arns = ["arn:aws:iam::123456789012:role/*"]
  }

  expect_failures = [var.passable_role_arns]
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
