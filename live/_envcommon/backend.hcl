# The backend (with _envcommon/ecs-service.hcl): the Express API, registered in Cloud Map as backend.<namespace>
# and reachable only from the frontend's tasks: the frontend unit opens this service's security group to them, so
# the backend needs nothing from the frontend or the alb unit and applies while the load balancer is being made.
# It reads the OpenAI key itself from Secrets Manager with its task role: only the secret's ARN is in its
# environment. It sets no CORS_ORIGINS: browsers never call it, only the frontend's server does. It verifies the
# users' Cognito access tokens (unit auth: the pool and the client it accepts) and counts their tokens in the budgets
# table (unit budgets), with exactly GetItem and UpdateItem on it.
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

dependency "secrets" {
  config_path = "../secrets"

  mock_outputs = {
    secret_arn  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mock/openai-api-key-AbCdEf"
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "auth" {
  config_path = "../auth"

  mock_outputs = {
    user_pool_id = "us-east-1_Mock00000"
    client_id    = "mock0000000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "budgets" {
  config_path = "../budgets"

  mock_outputs = {
    table_name  = "mock-budgets"
    table_arn   = "arn:aws:dynamodb:us-east-1:123456789012:table/mock-budgets"
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  environment = {
    OPENAI_SECRET_ID = dependency.secrets.outputs.secret_arn
    # Sign-in: the access tokens it accepts are the pool's, issued to the frontend's client.
    AUTH_USER_POOL_ID = dependency.auth.outputs.user_pool_id
    AUTH_CLIENT_ID    = dependency.auth.outputs.client_id
    # Budgets: the counters' table, env.hcl's daily limits and reply cap, and the environment counter's key (also
    # the Environment dimension of the chat metrics the monitoring unit charts).
    BUDGET_TABLE                    = dependency.budgets.outputs.table_name
    BUDGET_USER_DAILY_TOKENS        = tostring(local.env.budget_user_daily_tokens)
    BUDGET_ENVIRONMENT_DAILY_TOKENS = tostring(local.env.budget_environment_daily_tokens)
    MAX_COMPLETION_TOKENS           = tostring(local.env.max_completion_tokens)
    ENVIRONMENT_NAME                = local.env.name
  }

  # Its failures reach users as the frontend's 5xx: the frontend's 5xx-rate alarm rolls it back too.
  deployment_alarm_services        = ["frontend"]
  service_discovery_namespace_id   = dependency.ecs_cluster.outputs.namespace_id
  service_discovery_namespace_name = dependency.ecs_cluster.outputs.namespace_name

  task_role_description = "reads the OpenAI API key secret and counts tokens in the budgets table, nothing else"
  task_role_statements = [
    {
      sid       = "ReadTheOpenAiKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [dependency.secrets.outputs.secret_arn]
    },
    {
      # Only through Secrets Manager, and only for that one secret (Secrets Manager puts the secret's ARN into
      # the encryption context).
      sid       = "DecryptTheOpenAiKeyThroughSecretsManager"
      actions   = ["kms:Decrypt"]
      resources = [dependency.secrets.outputs.kms_key_arn]
      conditions = [
        { test = "StringEquals", variable = "kms:ViaService", values = ["secretsmanager.${local.env.region}.amazonaws.com"] },
        { test = "StringEquals", variable = "kms:EncryptionContext:SecretARN", values = [dependency.secrets.outputs.secret_arn] },
      ]
    },
    {
      # A chat's reservation is one TransactWriteItems of two conditional ADDs (the user's and the environment's
      # counter): DynamoDB authorises it per item as UpdateItem. GET /api/budget reads a counter with GetItem.
      sid       = "CountTheTokenBudgets"
      actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
      resources = [dependency.budgets.outputs.table_arn]
    },
    {
      # The table's key, only through DynamoDB and only for this table (DynamoDB puts the table's name into the
      # encryption context).
      sid       = "DecryptTheBudgetsThroughDynamoDb"
      actions   = ["kms:Decrypt"]
      resources = [dependency.budgets.outputs.kms_key_arn]
      conditions = [
        { test = "StringEquals", variable = "kms:ViaService", values = ["dynamodb.${local.env.region}.amazonaws.com"] },
        { test = "StringEquals", variable = "kms:EncryptionContext:aws:dynamodb:tableName", values = [dependency.budgets.outputs.table_name] },
      ]
    },
  ]
}
