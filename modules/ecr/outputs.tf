output "repository_urls" {
  description = "Repository URLs by app, e.g. { frontend = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/fargate-ai-stack-dev-frontend\" }."
  value       = { for app, repo in aws_ecr_repository.this : app => repo.repository_url }
}

output "repository_arns" {
  description = "Repository ARNs by app."
  value       = { for app, repo in aws_ecr_repository.this : app => repo.arn }
}

output "repository_names" {
  description = "Repository names by app (`<name>-<app>`)."
  value       = { for app, repo in aws_ecr_repository.this : app => repo.name }
}

output "registry_id" {
  description = "ID of the registry (the AWS account ID) that holds the repositories."
  value       = one(distinct([for repo in aws_ecr_repository.this : repo.registry_id]))
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the images."
  value       = local.kms_key_arn
}
