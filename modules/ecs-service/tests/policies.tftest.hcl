# The roles' policies, rendered by the real AWS provider's aws_iam_policy_document (which needs no AWS access);
# the one data source that would call AWS (the caller's account) is overridden, and a given log key keeps the
# key module out. Plan only: nothing is created and no credentials are needed.

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
  name            = "fas-test"
  service         = "backend"
  image           = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-backend@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  container_port  = 4000
  cluster_arn     = "arn:aws:ecs:us-east-1:123456789012:cluster/fas-test"
  cluster_name    = "fas-test"
  vpc_id          = "vpc-0123456789abcdef0"
  vpc_cidr_block  = "10.20.0.0/16"
  subnet_ids      = ["subnet-0123456789abcdef0"]
  kms_key_arn     = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  repository_arns = ["arn:aws:ecr:us-east-1:123456789012:repository/fas-test-backend"]
  task_role_statements = [
    {
      sid       = "ReadTheOpenAiKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"]
    },
    {
      sid       = "DecryptTheOpenAiKeyThroughSecretsManager"
      actions   = ["kms:Decrypt"]
      resources = ["arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"]
      conditions = [
        { test = "StringEquals", variable = "kms:ViaService", values = ["secretsmanager.us-east-1.amazonaws.com"] },
        { test = "StringEquals", variable = "kms:EncryptionContext:SecretARN", values = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"] },
      ]
    },
  ]
}

run "execution_role_pulls_its_repository_and_writes_its_log_group" {
  command = plan

  assert {
    condition     = flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "PullTheImage"]) == ["arn:aws:ecr:us-east-1:123456789012:repository/fas-test-backend"]
    error_message = "pulls must be limited to the given repositories"
  }
  assert {
    condition     = flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "WriteTheLogs"]) == ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/backend:log-stream:*"]
    error_message = "log writes must be limited to the service's own log group"
  }
  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement :
    s.Resource != "*" || flatten([s.Action]) == ["ecr:GetAuthorizationToken"]])
    error_message = "only ecr:GetAuthorizationToken may use resource \"*\" in the execution role"
  }
  assert {
    condition     = !strcontains(data.aws_iam_policy_document.execution.json, "secretsmanager")
    error_message = "without injected secrets the execution role reads none (the app fetches its key itself)"
  }
}

run "execution_role_reads_exactly_the_injected_secrets" {
  command = plan

  variables {
    secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" }]
  }

  assert {
    condition     = flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "ReadTheInjectedSecrets"]) == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"]
    error_message = "ECS injects secrets with the execution role: it may read exactly those"
  }
}

run "task_role_trusts_only_ecs_tasks_of_this_account" {
  command = plan

  assert {
    condition = jsondecode(data.aws_iam_policy_document.ecs_tasks_trust.json).Statement[0].Condition == {
      StringEquals = { "aws:SourceAccount" = "123456789012" }
      ArnLike      = { "aws:SourceArn" = "arn:aws:ecs:us-east-1:123456789012:*" }
    }
    error_message = "the roles' trust policy needs the confused-deputy conditions"
  }
}

run "task_role_policy_is_exactly_the_given_statements" {
  command = plan

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.task[0].json).Statement : s if s.Sid == "ReadTheOpenAiKey"][0] == {
      Sid      = "ReadTheOpenAiKey"
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"
    }
    error_message = "a statement must be rendered as given"
  }
  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.task[0].json).Statement : s if s.Sid == "DecryptTheOpenAiKeyThroughSecretsManager"][0] == {
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
    error_message = "conditions must be rendered as given"
  }
  assert {
    condition     = length(jsondecode(data.aws_iam_policy_document.task[0].json).Statement) == 2
    error_message = "the task role must have nothing beyond the given statements"
  }
  assert {
    condition = alltrue([
      for doc in [data.aws_iam_policy_document.execution.json, data.aws_iam_policy_document.task[0].json, data.aws_iam_policy_document.exec.json] :
      alltrue([for s in jsondecode(doc).Statement : alltrue([for a in flatten([s.Action]) : a != "*" && !endswith(a, ":*")])])
    ])
    error_message = "no policy may grant \"*\" or \"service:*\""
  }
}
