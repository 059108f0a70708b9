output "table_name" {
  description = "Name of the budgets table, `<name>-budgets` (the backend's BUDGET_TABLE)."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the budgets table (the backend's task role may GetItem and UpdateItem exactly this)."
  value       = aws_dynamodb_table.this.arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the table."
  value       = local.kms_key_arn
}
