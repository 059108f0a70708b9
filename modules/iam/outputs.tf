output "ci_role_arn" {
  description = "ARN of the GitHub Actions deploy role; null when github_repository is empty."
  value       = local.ci_enabled ? aws_iam_role.ci[0].arn : null
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider the CI role trusts (created or given); null without a CI role."
  value       = local.oidc_provider_arn
}
