# The repository policy's content, rendered by the real AWS provider's aws_iam_policy_document (which needs no
# AWS access); a given key ARN keeps the key module (and its account lookup) out. Plan only: nothing is created
# and no credentials are needed.

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
  name                = "fas-test"
  kms_key_arn         = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  pull_principal_arns = ["arn:aws:iam::123456789012:role/fas-test-ecs-execution"]
  push_principal_arns = ["arn:aws:iam::123456789012:role/fas-test-ci-deploy"]
}

run "pull_and_push_go_to_exactly_the_given_principals" {
  command = plan

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement : s.Principal if s.Sid == "PullByTheTaskExecutionRole"][0] == {
      AWS = "arn:aws:iam::123456789012:role/fas-test-ecs-execution"
    }
    error_message = "only the execution role may pull"
  }
  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement : s.Principal if s.Sid == "PushByTheDeployRole"][0] == {
      AWS = "arn:aws:iam::123456789012:role/fas-test-ci-deploy"
    }
    error_message = "only the deploy role may push"
  }
  assert {
    condition = !contains(flatten([
      for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement : s.Action if s.Sid == "PullByTheTaskExecutionRole"
    ]), "ecr:PutImage")
    error_message = "pullers must not be able to push"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement :
      alltrue([for a in flatten([s.Action]) : a != "*" && a != "ecr:*"])
    ])
    error_message = "the repository policy must spell out its actions"
  }
}

run "no_push_statement_without_a_deploy_role" {
  command = plan

  variables {
    push_principal_arns = []
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement : s.Sid] == ["PullByTheTaskExecutionRole"]
    error_message = "without a CI role only the pull statement remains"
  }
}
