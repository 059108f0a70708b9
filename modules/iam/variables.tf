# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\"; the CI role is `<name>-ci-deploy`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. \"fargate-ai-stack-dev\")."
  }
}

variable "tags" {
  description = "Extra tags for every resource (the provider's default_tags already add app, env and managed-by)."
  type        = map(string)
  default     = {}
  nullable    = false
}

# --- GitHub Actions (OIDC) ------------------------------------------------------------------------------------

variable "github_repository" {
  description = "GitHub repository (\"owner/repo\") whose Actions may assume the CI deploy role through OIDC. Empty: no CI role."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.github_repository == "" || can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be empty (no CI role) or \"owner/repo\", e.g. \"example-org/fargate-ai-stack\"."
  }
}

variable "github_subjects" {
  description = "Which workflow runs of the repository may assume the CI role: the part of the OIDC subject after `repo:<owner/repo>:`, e.g. \"ref:refs/heads/main\" or \"environment:prod\" (wildcards * allowed)."
  type        = list(string)
  default     = ["ref:refs/heads/main"]
  nullable    = false

  validation {
    condition     = length(var.github_subjects) > 0 && alltrue([for s in var.github_subjects : can(regex("^(ref:refs/(heads|tags)/|environment:|pull_request$)", s))])
    error_message = "github_subjects must list at least one subject such as \"ref:refs/heads/main\", \"ref:refs/tags/v*\", \"environment:prod\" or \"pull_request\"."
  }
}

variable "github_oidc_provider_arn" {
  description = "ARN of an existing GitHub OIDC provider in the account (one per account). Empty: the module creates it when github_repository is set."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.github_oidc_provider_arn == "" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.github_oidc_provider_arn))
    error_message = "github_oidc_provider_arn must be empty or the ARN of GitHub's OIDC provider, e.g. \"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\"."
  }
}

# --- What the CI role deploys ---------------------------------------------------------------------------------

variable "repository_arns" {
  description = "ECR repositories the CI role may push to (ecr unit output repository_arns), e.g. [\"arn:aws:ecr:us-east-1:123456789012:repository/fargate-ai-stack-dev-backend\"]."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9._/-]+$", arn))])
    error_message = "repository_arns must hold ECR repository ARNs (never \"*\"), e.g. \"arn:aws:ecr:us-east-1:123456789012:repository/fargate-ai-stack-dev-backend\"."
  }
}

variable "service_arns" {
  description = "ECS services the CI role may roll to new task definitions (service units' output service_arn), e.g. [\"arn:aws:ecs:us-east-1:123456789012:service/fargate-ai-stack-dev/fargate-ai-stack-dev-backend\"]."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.service_arns : can(regex("^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$", arn))])
    error_message = "service_arns must hold ECS service ARNs, e.g. \"arn:aws:ecs:us-east-1:123456789012:service/fargate-ai-stack-dev/fargate-ai-stack-dev-backend\"."
  }
}

variable "passable_role_arns" {
  description = "The services' task and execution roles, the only roles the CI role may pass to ECS with a new task definition, e.g. [\"arn:aws:iam::123456789012:role/fargate-ai-stack-dev-backend-task\"]."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.passable_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", arn))])
    error_message = "passable_role_arns must hold IAM role ARNs (never \"*\"), e.g. \"arn:aws:iam::123456789012:role/fargate-ai-stack-dev-backend-task\"."
  }
}
