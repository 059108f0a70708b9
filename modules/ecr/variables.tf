# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\". Repositories are named `<name>-<app>`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. \"fargate-ai-stack-dev\")."
  }
}

variable "repositories" {
  description = "Apps that get a repository, e.g. [\"frontend\", \"backend\"]; each becomes `<name>-<app>`."
  type        = list(string)
  default     = ["frontend", "backend"]
  nullable    = false

  validation {
    condition     = length(var.repositories) > 0 && length(distinct(var.repositories)) == length(var.repositories) && alltrue([for app in var.repositories : can(regex("^[a-z][a-z0-9-]{0,30}$", app))])
    error_message = "repositories must list at least one distinct app name of lowercase letters, digits and hyphens, e.g. [\"frontend\", \"backend\"]."
  }
}

variable "tags" {
  description = "Extra tags for every resource (the provider's default_tags already add app, env and managed-by)."
  type        = map(string)
  default     = {}
  nullable    = false
}

# --- Images ---------------------------------------------------------------------------------------------------

variable "keep_release_images" {
  description = "How many tagged (release) images each repository keeps; older ones expire. E.g. 10 in dev, 30 in prod."
  type        = number
  default     = 20
  nullable    = false

  validation {
    condition     = var.keep_release_images >= 1 && var.keep_release_images <= 1000 && floor(var.keep_release_images) == var.keep_release_images
    error_message = "keep_release_images must be a whole number from 1 to 1000, e.g. 20."
  }
}

variable "untagged_expire_days" {
  description = "Days after which untagged images expire, e.g. 7."
  type        = number
  default     = 7
  nullable    = false

  validation {
    condition     = var.untagged_expire_days >= 1 && var.untagged_expire_days <= 365 && floor(var.untagged_expire_days) == var.untagged_expire_days
    error_message = "untagged_expire_days must be a whole number from 1 to 365, e.g. 7."
  }
}

variable "force_delete" {
  description = "Delete repositories together with their images on destroy (dev: true). False refuses to delete a repository that still holds images (prod)."
  type        = bool
  default     = false
  nullable    = false
}

# --- Access ---------------------------------------------------------------------------------------------------

variable "pull_principal_arns" {
  description = "IAM principals allowed to pull (the ECS task execution role), e.g. [\"arn:aws:iam::123456789012:role/fargate-ai-stack-dev-ecs-execution\"]."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.pull_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "pull_principal_arns must hold IAM role or user ARNs (never \"*\"), e.g. \"arn:aws:iam::123456789012:role/fargate-ai-stack-dev-ecs-execution\"."
  }
}

variable "push_principal_arns" {
  description = "IAM principals allowed to push (the CI deploy role, if any), e.g. [\"arn:aws:iam::123456789012:role/fargate-ai-stack-dev-ci-deploy\"]."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.push_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "push_principal_arns must hold IAM role or user ARNs (never \"*\"), e.g. \"arn:aws:iam::123456789012:role/fargate-ai-stack-dev-ci-deploy\"."
  }
}

# --- Encryption -----------------------------------------------------------------------------------------------

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to encrypt the images with. Empty: the module makes its own key (modules/kms-key)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be empty or a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the registry's own KMS key (only when kms_key_arn is empty) is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30
    error_message = "kms_key_deletion_window_days must be between 7 and 30, e.g. 30."
  }
}
