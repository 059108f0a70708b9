output "key_arn" {
  description = "ARN of the key (pass it to resources' kms_key_id / kms_key_arn)."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "ID of the key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "Full alias name, `alias/<alias>`."
  value       = aws_kms_alias.this.name
}

output "policy" {
  description = "The key policy as JSON (what the account and each service may do with the key)."
  value       = data.aws_iam_policy_document.this.json
}
