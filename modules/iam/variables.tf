variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\". Also the ECS cluster name; repositories are \"<name>-<app>\", services \"<name>-<app>\", log groups \"/ecs/<name>/<app>\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. \"fargate-ai-stack-dev\")."
  }
}

variable "secret_arn" {
  description = "ARN of the OpenAI API key secret (secrets unit output secret_arn): the one secret the backend may read."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.secret_arn))
    error_message = "secret_arn must be a Secrets Manager secret ARN, e.g. \"arn:aws:secretsmanager:us-east-1:123456789012:secret:fargate-ai-stack-dev/openai-api-key-AbCdEf\"."
  }
}

variable "secret_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the secret (secrets unit output kms_key_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.secret_kms_key_arn))
    error_message = "secret_kms_key_arn must be a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "enable_execute_command" {
  description = "Grant the task roles the SSM channel actions that ECS Exec needs (turn on with the services' enable_execute_command)."
  type        = bool
  default     = false
}

variable "github_repository" {
  description = "GitHub repository (\"owner/repo\") whose Actions may assume the CI deploy role through OIDC. Empty: no CI role."
  type        = string
  default     = ""

  validation {
    condition     = var.github_repository == "" || can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be empty (no CI role) or \"owner/repo\", e.g. \"example-org/fargate-ai-stack\"."
  }
}

variable "github_subjects" {
  description = "Which workflow runs of the repository may assume the CI role: the part of the OIDC subject after \"repo:<owner/repo>:\", e.g. \"ref:refs/heads/main\" or \"environment:prod\" (wildcards * allowed)."
  type        = list(string)
  default     = ["ref:refs/heads/main"]

  validation {
    condition     = length(var.github_subjects) > 0 && alltrue([for s in var.github_subjects : can(regex("^(ref:refs/(heads|tags)/|environment:|pull_request$)", s))])
    error_message = "github_subjects must list at least one subject such as \"ref:refs/heads/main\", \"ref:refs/tags/v*\", \"environment:prod\" or \"pull_request\"."
  }
}

variable "github_oidc_provider_arn" {
  description = "ARN of an existing GitHub OIDC provider in the account (one per account). Empty: the module creates it when github_repository is set."
  type        = string
  default     = ""

  validation {
    condition     = var.github_oidc_provider_arn == "" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.github_oidc_provider_arn))
    error_message = "github_oidc_provider_arn must be empty or the ARN of GitHub's OIDC provider, e.g. \"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\"."
  }
}

variable "tags" {
  description = "Extra tags for every resource (the provider's default_tags already add app, env and managed-by)."
  type        = map(string)
  default     = {}
}
