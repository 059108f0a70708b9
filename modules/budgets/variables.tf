# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\". The table is named `<name>-budgets`."
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

# --- Table ----------------------------------------------------------------------------------------------------

variable "point_in_time_recovery" {
  description = "Keep continuous backups (restore to any second of the last 35 days): on in prod, where the counters are what stops a user or the environment from spending more; off in dev (it costs per GB-month)."
  type        = bool
  default     = true
  nullable    = false
}

variable "deletion_protection" {
  description = "Refuse to delete the table (a destroy fails until this is turned off and applied): on in prod, off in dev so that the environment can be destroyed."
  type        = bool
  default     = true
  nullable    = false
}

# --- Encryption -----------------------------------------------------------------------------------------------

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to encrypt the table with. Empty: the module makes its own key (modules/kms-key)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be empty or a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the table's own KMS key (only when kms_key_arn is empty) is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30 && floor(var.kms_key_deletion_window_days) == var.kms_key_deletion_window_days
    error_message = "kms_key_deletion_window_days must be a whole number from 7 to 30, e.g. 30."
  }
}
