# --- Identity -------------------------------------------------------------------------------------------------

variable "alias" {
  description = "Alias of the key without the \"alias/\" prefix, e.g. \"fargate-ai-stack-dev-secrets\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/") && !startswith(var.alias, "alias/")
    error_message = "alias must be 1-250 letters, digits, \"/\", \"_\" or \"-\", without the \"alias/\" prefix and not starting with \"aws/\" (reserved), e.g. \"fargate-ai-stack-dev-secrets\"."
  }
}

variable "description" {
  description = "What the key encrypts, e.g. \"Encrypts the Secrets Manager secrets of fargate-ai-stack-dev\"."
  type        = string
  nullable    = false

  validation {
    condition     = length(var.description) >= 1 && length(var.description) <= 8192
    error_message = "description must be 1-8192 characters saying what the key encrypts."
  }
}

variable "tags" {
  description = "Extra tags for the key (the provider's default_tags already add app, env and managed-by)."
  type        = map(string)
  default     = {}
  nullable    = false
}

# --- Key policy -----------------------------------------------------------------------------------------------

variable "service_principals" {
  description = "AWS services that may use the key directly, each with its own statement: a Sid, the service principal (e.g. \"cloudwatch.amazonaws.com\"), the actions and the conditions that confine it (e.g. an encryption-context condition naming the one SNS topic; CloudWatch Logs has log_group_names). Empty: only IAM policies of the account grant use (services such as Secrets Manager and ECR act with their caller's permissions)."
  type = list(object({
    sid     = string
    service = string
    actions = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default  = []
  nullable = false

  validation {
    condition = alltrue([for p in var.service_principals :
      can(regex("^[A-Za-z0-9]+$", p.sid)) && can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", p.service)) &&
      length(p.actions) > 0 && alltrue([for a in p.actions : can(regex("^kms:[A-Za-z]+\\*?$", a))])
    ])
    error_message = "each service principal needs an alphanumeric sid, a service such as \"logs.us-east-1.amazonaws.com\" and at least one spelled-out kms: action (e.g. \"kms:GenerateDataKey*\"; never \"kms:*\" or \"*\")."
  }
  validation {
    condition     = length(distinct([for p in var.service_principals : p.sid])) == length(var.service_principals) && !contains([for p in var.service_principals : p.sid], "AccountAdministration")
    error_message = "service principal sids must be distinct and must not be \"AccountAdministration\" (the account's own statement)."
  }
}

variable "log_group_names" {
  description = "CloudWatch Logs log groups (names, in this account and region) that may have their logs encrypted with the key, e.g. [\"/vpc/fargate-ai-stack-dev/flow-logs\"]: adds the statement \"CloudWatchLogsUseForThisLogGroup\" that lets logs.<region>.amazonaws.com use the key for exactly these groups (so no service principal may take that sid). Empty: no such statement."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for name in var.log_group_names : can(regex("^[A-Za-z0-9_./#-]{1,512}$", name))])
    error_message = "log_group_names must hold CloudWatch Logs log group names (letters, digits, \"_\", \"-\", \"/\", \".\" and \"#\"), e.g. \"/ecs/fargate-ai-stack-dev/backend\"."
  }
}

# --- Lifecycle ------------------------------------------------------------------------------------------------

variable "deletion_window_in_days" {
  description = "Waiting period before the key is deleted after a destroy (7-30 days), e.g. 30."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number from 7 to 30, e.g. 30."
  }
}
