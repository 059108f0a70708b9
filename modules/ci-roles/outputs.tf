output "deploy_role_arn" {
  description = "ARN of the infrastructure deploy role (`terragrunt run --all apply`); null without deploy_subjects."
  value       = try(aws_iam_role.ci["deploy"].arn, null)
}

output "release_role_arn" {
  description = "ARN of the release role (promotion: push images, roll services); null without release_subjects."
  value       = try(aws_iam_role.ci["release"].arn, null)
}

output "plan_role_arn" {
  description = "ARN of the read-only plan role (pull requests); null without plan_subjects."
  value       = try(aws_iam_role.ci["plan"].arn, null)
}

output "permissions_boundary_arn" {
  description = "ARN of the permissions boundary every CI role carries and every role the deploy role creates must carry."
  value       = aws_iam_policy.boundary.arn
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider the roles trust (created or given)."
  value       = local.oidc_provider_arn
}
