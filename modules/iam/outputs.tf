output "execution_role_arn" {
  description = "ARN of the ECS task execution role (pulls the app images, writes their logs)."
  value       = aws_iam_role.execution.arn
}

output "backend_task_role_arn" {
  description = "ARN of the backend's task role (reads exactly the OpenAI API key secret)."
  value       = aws_iam_role.backend_task.arn
}

output "frontend_task_role_arn" {
  description = "ARN of the frontend's task role (no permissions)."
  value       = aws_iam_role.frontend_task.arn
}

output "ci_role_arn" {
  description = "ARN of the GitHub Actions deploy role; null when github_repository is empty."
  value       = local.ci_enabled ? aws_iam_role.ci[0].arn : null
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider the CI role trusts (created or given); null without a CI role."
  value       = local.oidc_provider_arn
}

output "repository_names" {
  description = "ECR repository names the roles are scoped to, by app: { frontend = \"<name>-frontend\", backend = \"<name>-backend\" }."
  value       = local.repository_names
}
