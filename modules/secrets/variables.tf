# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\". The secret is named `<name>/openai-api-key`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. \"fargate-ai-stack-dev\")."
  }
}

variable "env" {
  description = "Environment name, e.g. \"dev\" or \"prod\" (used in the secret's description: how to set its value)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.env))
    error_message = "env must be 2-16 lowercase letters and digits, starting with a letter (e.g. \"dev\")."
  }
}

variable "tags" {
  description = "Extra tags for every resource (the provider's default_tags already add app, env and managed-by)."
  type        = map(string)
  default     = {}
  nullable    = false
}

# --- Secret ---------------------------------------------------------------------------------------------------

variable "recovery_window_in_days" {
  description = "Days Secrets Manager keeps a deleted secret recoverable: 0 deletes at once (dev), 7-30 keeps it (prod)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30 && floor(var.recovery_window_in_days) == var.recovery_window_in_days)
    error_message = "recovery_window_in_days must be 0 (delete at once) or a whole number from 7 to 30, e.g. 30."
  }
}

# --- Who reads the value ----------------------------------------------------------------------------------------

variable "reader_role_names" {
  description = "Names of the IAM roles in this account that read the secret's value (the backend's task role, e.g. \"fargate-ai-stack-dev-backend-task\"). Given any, the secret's resource policy denies GetSecretValue to every other principal but administrator_arns. Empty: no resource policy (IAM policies alone decide)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for role in var.reader_role_names : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", role))])
    error_message = "reader_role_names must hold IAM role names (1-64 of letters, digits and +=,.@_-), not ARNs, e.g. [\"fargate-ai-stack-dev-backend-task\"]."
  }
}

variable "administrator_arns" {
  description = "ARNs of IAM roles or users that may also read the value (e.g. a break-glass administrator role). Only with reader_role_names."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", arn))])
    error_message = "administrator_arns must hold IAM role or user ARNs, e.g. [\"arn:aws:iam::123456789012:role/admin\"] (wildcards are not allowed)."
  }
  validation {
    condition     = length(var.administrator_arns) == 0 || length(var.reader_role_names) > 0
    error_message = "administrator_arns needs reader_role_names: without readers the secret has no resource policy to name administrators in."
  }
}

# --- Encryption -----------------------------------------------------------------------------------------------

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to encrypt the secret with. Empty: the module makes its own key (modules/kms-key)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be empty or a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the secrets' own KMS key (only when kms_key_arn is empty) is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30
    error_message = "kms_key_deletion_window_days must be between 7 and 30, e.g. 30."
  }
}
