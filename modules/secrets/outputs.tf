output "secret_arn" {
  description = "ARN of the OpenAI API key secret (the backend's OPENAI_SECRET_ID; its task role may read exactly this)."
  value       = aws_secretsmanager_secret.openai_api_key.arn
}

output "secret_name" {
  description = "Name of the OpenAI API key secret, `<name>/openai-api-key`."
  value       = aws_secretsmanager_secret.openai_api_key.name
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the secret."
  value       = local.kms_key_arn
}
