# The policies' contents, rendered by the real AWS provider's aws_iam_policy_document (which needs no AWS
# access); the one data source that would call AWS (the caller's account) is overridden. Plan only: nothing is
# created and no credentials are needed.

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
  name                = "fas-test"
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

run "key_policy_spells_out_actions_for_the_account_only" {
  command = plan

  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.key.json).Statement :
      s.Principal == { AWS = "arn:aws:iam::123456789012:root" } && alltrue([for a in flatten([s.Action]) : a != "*" && a != "kms:*"])
    ])
    error_message = "the key policy must name only this account and spell out its actions"
  }
}
