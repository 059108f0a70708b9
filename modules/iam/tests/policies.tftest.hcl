# The CI role's policies, rendered by the real AWS provider's aws_iam_policy_document (which needs no AWS
# access). Plan only: nothing is created and no credentials are needed.

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
  name                     = "fas-test"
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

run "ci_role_is_scoped_to_its_repository_repositories_services_and_roles" {
  command = plan

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
