output "user_pool_id" {
  description = "ID of the user pool, e.g. \"us-east-1_AbC123\" (AUTH_USER_POOL_ID of the backend and the frontend)."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "ARN of the user pool."
  value       = aws_cognito_user_pool.this.arn
}

output "client_id" {
  description = "ID of the frontend's app client (AUTH_CLIENT_ID of the backend and the frontend; it has no secret)."
  value       = aws_cognito_user_pool_client.frontend.id
}

output "issuer" {
  description = "Issuer of the pool's tokens, `https://cognito-idp.<region>.amazonaws.com/<user pool id>` (the region is the pool ID's prefix)."
  value       = "https://cognito-idp.${split("_", aws_cognito_user_pool.this.id)[0]}.${data.aws_partition.current.dns_suffix}/${aws_cognito_user_pool.this.id}"
}

output "session_secret_arn" {
  description = "ARN of the session cookie key's secret (the frontend's SESSION_SECRET, injected by ECS through its execution role)."
  value       = aws_secretsmanager_secret.session.arn
}

output "session_secret_kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the session cookie key (the execution role may kms:Decrypt it through Secrets Manager)."
  value       = local.kms_key_arn
}
