# Plan-time tests with the real AWS provider, offline: nothing is created and no credentials are needed, and
# aws_iam_policy_document renders the CI role's policies locally, so their content is asserted as AWS would get it.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
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

run "ci_role_is_scoped_to_its_repository_repositories_services_and_roles" {
  command = plan

  variables {
    github_repository        = "example-org/fargate-ai-stack"
    github_subjects          = ["ref:refs/heads/main", "environment:dev"]
    github_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    repository_arns = [
      "arn:aws:ecr:us-east-1:123456789012:repository/fas-test-frontend",
      "arn:aws:ecr:us-east-1:123456789012:repository/fas-test-backend",
    ]
    service_arns = [
      "arn:aws:ecs:us-east-1:123456789012:service/fas-test/fas-test-frontend",
      "arn:aws:ecs:us-east-1:123456789012:service/fas-test/fas-test-backend",
    ]
    passable_role_arns = [
      "arn:aws:iam::123456789012:role/fas-test-frontend-execution",
      "arn:aws:iam::123456789012:role/fas-test-frontend-task",
      "arn:aws:iam::123456789012:role/fas-test-backend-execution",
      "arn:aws:iam::123456789012:role/fas-test-backend-task",
    ]
  }

  assert {
    condition = jsondecode(data.aws_iam_policy_document.ci_trust[0].json).Statement[0].Condition == {
      StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
      StringLike = { "token.actions.githubusercontent.com:sub" = [
        "repo:example-org/fargate-ai-stack:ref:refs/heads/main",
        "repo:example-org/fargate-ai-stack:environment:dev",
      ] }
    }
    error_message = "only the given repository's runs may assume the CI role"
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement : s.Resource if s.Sid == "PushTheAppImages"])) == toset(var.repository_arns)
    error_message = "the CI role may push to the given repositories only"
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement : s.Resource if s.Sid == "RollTheAppServices"])) == toset(var.service_arns)
    error_message = "the CI role may only update the given services"
  }
  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement :
      s.Resource != "*" || length(setsubtract(flatten([s.Action]), ["ecr:GetAuthorizationToken", "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"])) == 0
    ])
    error_message = "only actions without resource-level permissions may use resource \"*\""
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement : s.Resource if s.Sid == "PassOnlyTheAppRolesToEcs"])) == toset(var.passable_role_arns)
    error_message = "the CI role may pass exactly the given roles"
  }
  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement : s.Condition if s.Sid == "PassOnlyTheAppRolesToEcs"][0] == { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
    error_message = "the CI role may pass roles to ECS tasks only"
  }
  assert {
    condition     = alltrue([for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement : alltrue([for a in flatten([s.Action]) : a != "*" && !endswith(a, ":*")])])
    error_message = "no policy may grant \"*\" or \"service:*\""
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

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    name                     = "Bad_Name"                                            # not lowercase
    github_repository        = "fargate-ai-stack"                                    # no owner
    github_subjects          = ["*"]                                                 # any run of the repository
    github_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/example.com" # not GitHub's provider
    repository_arns          = ["*"]                                                 # every repository
    passable_role_arns       = ["arn:aws:iam::123456789012:role/*"]                  # every role
  }

  expect_failures = [var.name, var.github_repository, var.github_subjects, var.github_oidc_provider_arn, var.repository_arns, var.passable_role_arns]
}

