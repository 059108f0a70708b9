# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\": the pool `<name>-users`, its client `<name>-frontend`, the secret `<name>/session-secret`."
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

# --- User pool ------------------------------------------------------------------------------------------------

variable "mfa" {
  description = "Multi-factor authentication with an authenticator app (TOTP): \"OFF\", \"OPTIONAL\" (each user may set it up) or \"ON\" (required of every user; new users set it up at their first sign-in)."
  type        = string
  default     = "ON"
  nullable    = false

  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.mfa)
    error_message = "mfa must be \"OFF\", \"OPTIONAL\" or \"ON\" (upper case, as Cognito spells it)."
  }
}

variable "self_sign_up" {
  description = "Let anyone create an account with their email address. Off: only administrators create users (AdminCreateUser, a temporary password valid 3 days)."
  type        = bool
  default     = false
  nullable    = false
}

variable "deletion_protection" {
  description = "Refuse to delete the user pool (a destroy fails until this is turned off and applied): on in prod, where the pool holds the users' accounts."
  type        = bool
  default     = true
  nullable    = false
}

# --- App client -----------------------------------------------------------------------------------------------

variable "access_token_validity_minutes" {
  description = "Lifetime of access and ID tokens in minutes (5-1440), e.g. 60: how long a revoked session's access token still works at the backend."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.access_token_validity_minutes >= 5 && var.access_token_validity_minutes <= 1440 && floor(var.access_token_validity_minutes) == var.access_token_validity_minutes
    error_message = "access_token_validity_minutes must be a whole number from 5 to 1440 (Cognito's limits), e.g. 60."
  }
}

variable "refresh_token_validity_hours" {
  description = "Lifetime of refresh tokens in hours (1-87600), e.g. 12: how long a session lasts without a new sign-in."
  type        = number
  default     = 12
  nullable    = false

  validation {
    condition     = var.refresh_token_validity_hours >= 1 && var.refresh_token_validity_hours <= 87600 && floor(var.refresh_token_validity_hours) == var.refresh_token_validity_hours
    error_message = "refresh_token_validity_hours must be a whole number from 1 to 87600 (10 years, Cognito's limit), e.g. 12."
  }
  validation {
    condition     = var.refresh_token_validity_hours * 60 > var.access_token_validity_minutes
    error_message = "refresh_token_validity_hours must be longer than the access tokens' lifetime (Cognito refuses a refresh token that expires first)."
  }
}

variable "refresh_token_retry_grace_seconds" {
  description = "Seconds an already rotated refresh token still works (0-60), so that a retried refresh after a lost response does not sign the user out."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.refresh_token_retry_grace_seconds >= 0 && var.refresh_token_retry_grace_seconds <= 60 && floor(var.refresh_token_retry_grace_seconds) == var.refresh_token_retry_grace_seconds
    error_message = "refresh_token_retry_grace_seconds must be a whole number from 0 to 60, e.g. 10."
  }
}

# --- Session key ----------------------------------------------------------------------------------------------

variable "session_secret_version" {
  description = "Version of the session cookie key: raise it (e.g. 1 to 2) to write a new random value. Every session then ends (its cookie no longer decrypts) once the frontend's tasks restart with the new value."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.session_secret_version >= 1 && floor(var.session_secret_version) == var.session_secret_version
    error_message = "session_secret_version must be a whole number from 1 up, e.g. 1 (raise it to rotate the key)."
  }
}

variable "recovery_window_in_days" {
  description = "Days Secrets Manager keeps the deleted session key's secret recoverable: 0 deletes at once (dev), 7-30 keeps it (prod)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30 && floor(var.recovery_window_in_days) == var.recovery_window_in_days)
    error_message = "recovery_window_in_days must be 0 (delete at once) or a whole number from 7 to 30, e.g. 30."
  }
}

variable "reader_role_names" {
  description = "Names of the IAM roles in this account that read the session key (the frontend's execution role, e.g. \"fargate-ai-stack-dev-frontend-execution\"). Given any, the secret's resource policy denies GetSecretValue to every other principal but administrator_arns. Empty: no resource policy (IAM policies alone decide)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for role in var.reader_role_names : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", role))])
    error_message = "reader_role_names must hold IAM role names (1-64 of letters, digits and +=,.@_-), not ARNs, e.g. [\"fargate-ai-stack-dev-frontend-execution\"]."
  }
}

variable "administrator_arns" {
  description = "ARNs of IAM roles or users that may also read the value: whoever applies or refreshes this module (the AWS provider 5.x reads a secret version back with GetSecretValue, e.g. the CI deploy role) and break-glass administrators. Only with reader_role_names."
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
  description = "ARN of an existing customer-managed KMS key to encrypt the session key's secret with. Empty: the module makes its own key (modules/kms-key)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be empty or a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the session key's own KMS key (only when kms_key_arn is empty) is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30 && floor(var.kms_key_deletion_window_days) == var.kms_key_deletion_window_days
    error_message = "kms_key_deletion_window_days must be a whole number from 7 to 30, e.g. 30."
  }
}
