# The backend (with _envcommon/ecs-service.hcl): the Express API, registered in Cloud Map as backend.<namespace>
# and reachable only from the frontend's tasks: the frontend unit opens this service's security group to them, so
# the backend needs nothing from the frontend or the alb unit and applies while the load balancer is being made.
# It reads the OpenAI key itself from Secrets Manager with its task role: only the secret's ARN is in its
# environment. It sets no CORS_ORIGINS: browsers never call it, only the frontend's server does.
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

inputs = {
  environment = {
    OPENAI_SECRET_ID = dependency.secrets.outputs.secret_arn
  }

  # Its failures reach users as the frontend's 5xx: the frontend's 5xx-rate alarm rolls it back too.
  deployment_alarm_services        = ["frontend"]
  service_discovery_namespace_id   = dependency.ecs_cluster.outputs.namespace_id
  service_discovery_namespace_name = dependency.ecs_cluster.outputs.namespace_name

  task_role_description = "reads the OpenAI API key secret and nothing else"
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
  ]
}
