# --- Naming and scope -----------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix of the environment's resources, e.g. \"fargate-ai-stack-dev\": the roles may touch only resources named with it (and the roles are `<name>-ci-deploy`, `<name>-ci-release`, `<name>-ci-plan`)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. \"fargate-ai-stack-dev\")."
  }
}

variable "resource_tags" {
  description = "Tags every resource of the environment carries (the provider's default_tags), e.g. { app = \"fargate-ai-stack\", env = \"dev\" }: the deploy role may create only resources tagged so and change only resources that are."
  type        = map(string)
  nullable    = false

  validation {
    condition     = length(var.resource_tags) > 0 && alltrue([for k, v in var.resource_tags : can(regex("^[A-Za-z0-9_.:/=+@-]{1,128}$", k)) && can(regex("^[A-Za-z0-9_.:/=+@ -]{1,256}$", v)) && !strcontains(v, "*")])
    error_message = "resource_tags must hold at least one tag (key and value without \"*\"), e.g. { app = \"fargate-ai-stack\", env = \"dev\" }."
  }
}

variable "state_bucket" {
  description = "S3 bucket of the Terraform state (the root terragrunt.hcl's remote_state), e.g. \"fargate-ai-stack-tfstate-123456789012-us-east-1\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens), e.g. \"fargate-ai-stack-tfstate-123456789012-us-east-1\"."
  }
}

variable "state_key_prefix" {
  description = "Key prefix of this environment's states and lock files in state_bucket, ending in \"/\", e.g. \"live/dev/\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/$", var.state_key_prefix))
    error_message = "state_key_prefix must be a key prefix ending in \"/\" without wildcards, e.g. \"live/dev/\"."
  }
}

variable "bootstrap_state_prefix" {
  description = "Key prefix (inside state_key_prefix) of the state of this bootstrap itself, e.g. \"live/dev/_bootstrap/\": the CI roles may read it but never write it."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/$", var.bootstrap_state_prefix))
    error_message = "bootstrap_state_prefix must be a key prefix ending in \"/\", e.g. \"live/dev/_bootstrap/\"."
  }
}

variable "tags" {
  description = "Extra tags for the roles and policies (the provider's default_tags already add app, env and managed-by)."
  type        = map(string)
  default     = {}
  nullable    = false
}

# --- GitHub Actions (OIDC) ------------------------------------------------------------------------------------

variable "github_repository" {
  description = "GitHub repository (\"owner/repo\") whose Actions assume the roles through OIDC, e.g. \"example-org/fargate-ai-stack\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be \"owner/repo\", e.g. \"example-org/fargate-ai-stack\"."
  }
}

variable "github_oidc_provider_arn" {
  description = "ARN of an existing GitHub OIDC provider in the account (one per account). Empty: the module creates it."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.github_oidc_provider_arn == "" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.github_oidc_provider_arn))
    error_message = "github_oidc_provider_arn must be empty or the ARN of GitHub's OIDC provider, e.g. \"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\"."
  }
}

variable "deploy_subjects" {
  description = "Workflow runs that may assume the infrastructure deploy role (`terragrunt run --all apply`): OIDC subjects after `repo:<owner/repo>:`, e.g. [\"ref:refs/heads/main\"] or [\"environment:prod\"]. Empty: no deploy role."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.deploy_subjects : can(regex("^(ref:refs/heads/|ref:refs/tags/|environment:)[A-Za-z0-9._/-]+$", s))])
    error_message = "deploy_subjects must be exact branches, tags or environments such as \"ref:refs/heads/main\" or \"environment:prod\": never \"pull_request\" (a pull request could change what it deploys) and no wildcard \"*\"."
  }
}

variable "release_subjects" {
  description = "Workflow runs that may assume the release role (promotion: push images, roll services), e.g. [\"environment:prod\"]. Empty: no release role."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.release_subjects : can(regex("^(ref:refs/heads/|ref:refs/tags/|environment:)[A-Za-z0-9._/-]+$", s))])
    error_message = "release_subjects must be exact branches, tags or environments such as \"environment:prod\": never \"pull_request\" and no wildcard \"*\"."
  }
}

variable "plan_subjects" {
  description = "Workflow runs that may assume the read-only plan role, e.g. [\"pull_request\"]. Empty: no plan role."
  type        = list(string)
  default     = ["pull_request"]
  nullable    = false

  validation {
    condition     = alltrue([for s in var.plan_subjects : can(regex("^(pull_request|(ref:refs/heads/|ref:refs/tags/|environment:)[A-Za-z0-9._/-]+)$", s))])
    error_message = "plan_subjects must be \"pull_request\" or exact branches, tags or environments such as \"ref:refs/heads/main\" (no wildcard \"*\")."
  }
}

variable "test_trusted_principal_arns" {
  description = "Tests only: IAM users or roles of this account that may also assume the roles with sts:AssumeRole, e.g. the emulator test's administrator. Empty (the default) in every real environment."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.test_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/[A-Za-z0-9+=,.@_-]+$", arn))])
    error_message = "test_trusted_principal_arns must hold exact IAM user or role ARNs (no wildcard \"*\"), e.g. \"arn:aws:iam::123456789012:user/ci-roles-test\"."
  }
}

# --- Promotion ------------------------------------------------------------------------------------------------

variable "promotion_source" {
  description = "The environment a promotion copies from, in this account, e.g. { name = \"fargate-ai-stack-dev\", state_key_prefix = \"live/dev/\" }: the release role may pull its images and read its services and states. Null: none."
  type = object({
    name             = string
    state_key_prefix = string
  })
  default = null

  validation {
    condition     = var.promotion_source == null || (can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.promotion_source.name)) && can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/$", var.promotion_source.state_key_prefix)))
    error_message = "promotion_source must be null or { name = \"fargate-ai-stack-dev\", state_key_prefix = \"live/dev/\" } (a name prefix and a key prefix ending in \"/\")."
  }
}
