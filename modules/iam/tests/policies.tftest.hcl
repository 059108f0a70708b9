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
  name               = "fas-test"
  secret_arn         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"
  secret_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "backend_reads_exactly_one_secret_through_secrets_manager" {
  command = plan

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.backend_task.json).Statement : s if s.Sid == "ReadTheOpenAiKey"][0] == {
      Sid      = "ReadTheOpenAiKey"
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"
    }
    error_message = "the backend may only call GetSecretValue on exactly the OpenAI secret"
  }
  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.backend_task.json).Statement : s if s.Sid == "DecryptTheOpenAiKeyThroughSecretsManager"][0] == {
      Sid      = "DecryptTheOpenAiKeyThroughSecretsManager"
      Effect   = "Allow"
      Action   = "kms:Decrypt"
      Resource = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
      Condition = {
        StringEquals = {
          "kms:ViaService"                  = "secretsmanager.us-east-1.amazonaws.com"
          "kms:EncryptionContext:SecretARN" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"
        }
      }
    }
    error_message = "kms:Decrypt must be limited to the secret's key, through Secrets Manager, for that secret"
  }
  assert {
    condition     = length(jsondecode(data.aws_iam_policy_document.backend_task.json).Statement) == 2
    error_message = "the backend task role must have nothing beyond reading its secret"
  }
}

run "execution_role_pulls_its_repositories_and_writes_its_log_groups" {
  command = plan

  assert {
    condition = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "PullTheAppImages"])) == toset([
      "arn:aws:ecr:us-east-1:123456789012:repository/fas-test-frontend",
      "arn:aws:ecr:us-east-1:123456789012:repository/fas-test-backend",
    ])
    error_message = "pulls must be limited to the two app repositories"
  }
  assert {
    condition = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "WriteTheAppLogs"])) == toset([
      "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/frontend:log-stream:*",
      "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/backend:log-stream:*",
    ])
    error_message = "log writes must be limited to the two app log groups"
  }
  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement :
    s.Resource != "*" || flatten([s.Action]) == ["ecr:GetAuthorizationToken"]])
    error_message = "only ecr:GetAuthorizationToken may use resource \"*\" in the execution role"
  }
  assert {
    condition     = !strcontains(data.aws_iam_policy_document.execution.json, "secretsmanager")
    error_message = "the execution role must not read secrets (the app fetches its key itself)"
  }
}

run "task_roles_trust_only_ecs_tasks_of_this_account" {
  command = plan

  assert {
    condition = jsondecode(data.aws_iam_policy_document.ecs_tasks_trust.json).Statement[0].Condition == {
      StringEquals = { "aws:SourceAccount" = "123456789012" }
      ArnLike      = { "aws:SourceArn" = "arn:aws:ecs:us-east-1:123456789012:*" }
    }
    error_message = "the task roles' trust policy needs the confused-deputy conditions"
  }
}

run "ci_role_is_scoped_to_its_repository_repositories_services_and_roles" {
  command = plan

  variables {
    github_repository        = "example-org/fargate-ai-stack"
    github_subjects          = ["ref:refs/heads/main", "environment:dev"]
    github_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
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
    condition = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement : s.Resource if s.Sid == "RollTheAppServices"])) == toset([
      "arn:aws:ecs:us-east-1:123456789012:service/fas-test/fas-test-frontend",
      "arn:aws:ecs:us-east-1:123456789012:service/fas-test/fas-test-backend",
    ])
    error_message = "the CI role may only update the two services of the cluster"
  }
  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement :
      s.Resource != "*" || length(setsubtract(flatten([s.Action]), ["ecr:GetAuthorizationToken", "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"])) == 0
    ])
    error_message = "only actions without resource-level permissions may use resource \"*\""
  }
  assert {
    condition = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement : s.Resource if s.Sid == "PassOnlyTheAppRolesToEcs"])) == toset([
      "arn:aws:iam::123456789012:role/fas-test-ecs-execution",
      "arn:aws:iam::123456789012:role/fas-test-backend-task",
      "arn:aws:iam::123456789012:role/fas-test-frontend-task",
    ])
    error_message = "the CI role may pass exactly the module's three roles"
  }
  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.ci[0].json).Statement : s.Condition if s.Sid == "PassOnlyTheAppRolesToEcs"][0] == { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
    error_message = "the CI role may pass roles to ECS tasks only"
  }
}

run "no_policy_grants_a_wildcard_action" {
  command = plan

  variables {
    github_repository        = "example-org/fargate-ai-stack"
    github_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    enable_execute_command   = true
  }

  assert {
    condition = alltrue([
      for doc in [data.aws_iam_policy_document.execution.json, data.aws_iam_policy_document.backend_task.json, data.aws_iam_policy_document.exec.json, data.aws_iam_policy_document.ci[0].json] :
      alltrue([for s in jsondecode(doc).Statement : alltrue([for a in flatten([s.Action]) : a != "*" && !endswith(a, ":*")])])
    ])
    error_message = "no policy may grant \"*\" or \"service:*\""
  }
}
