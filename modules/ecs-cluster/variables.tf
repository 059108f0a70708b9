# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name of the cluster and prefix of every resource, e.g. \"fargate-ai-stack-dev\"."
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

# --- Network and discovery ------------------------------------------------------------------------------------

variable "vpc_id" {
  description = "ID of the VPC the Cloud Map private DNS namespace is attached to, e.g. \"vpc-0123456789abcdef0\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as \"vpc-0123456789abcdef0\"."
  }
}

variable "namespace_name" {
  description = "Domain of the Cloud Map private DNS namespace, e.g. \"dev.fargate-ai-stack.local\"; services resolve as `<service>.<namespace_name>`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$", var.namespace_name)) && length(var.namespace_name) <= 253
    error_message = "namespace_name must be a lowercase DNS domain with at least two labels, e.g. \"dev.fargate-ai-stack.local\"."
  }
}

# --- Capacity and insight -------------------------------------------------------------------------------------

variable "default_capacity_provider_strategy" {
  description = "Default capacity provider strategy of the cluster: FARGATE and/or FARGATE_SPOT with a weight and an optional base (tasks placed first, at most one entry may have base > 0), e.g. [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]."
  type = list(object({
    capacity_provider = string
    weight            = number
    base              = optional(number, 0)
  }))
  default  = [{ capacity_provider = "FARGATE", weight = 1, base = 0 }]
  nullable = false

  validation {
    condition     = length(var.default_capacity_provider_strategy) >= 1 && length(var.default_capacity_provider_strategy) <= 2
    error_message = "default_capacity_provider_strategy needs one or two entries, e.g. [{ capacity_provider = \"FARGATE\", weight = 1 }]."
  }
  validation {
    condition     = alltrue([for s in var.default_capacity_provider_strategy : contains(["FARGATE", "FARGATE_SPOT"], s.capacity_provider)])
    error_message = "default_capacity_provider_strategy may only name \"FARGATE\" and \"FARGATE_SPOT\"."
  }
  validation {
    condition     = length(distinct([for s in var.default_capacity_provider_strategy : s.capacity_provider])) == length(var.default_capacity_provider_strategy)
    error_message = "default_capacity_provider_strategy names a capacity provider twice; list each at most once."
  }
  validation {
    condition = alltrue([for s in var.default_capacity_provider_strategy :
      s.weight >= 0 && s.weight <= 1000 && floor(s.weight) == s.weight && s.base >= 0 && s.base <= 100000 && floor(s.base) == s.base
    ]) && anytrue([for s in var.default_capacity_provider_strategy : s.weight > 0])
    error_message = "default_capacity_provider_strategy weights must be whole numbers 0-1000 (at least one above 0) and bases whole numbers 0-100000, e.g. { capacity_provider = \"FARGATE\", weight = 1, base = 1 }."
  }
  validation {
    condition     = length([for s in var.default_capacity_provider_strategy : s if s.base > 0]) <= 1
    error_message = "default_capacity_provider_strategy: only one entry may have a base above 0."
  }
}

variable "container_insights" {
  description = "CloudWatch Container Insights for the cluster: \"enabled\" (standard metrics) or \"enhanced\" (adds task- and container-level metrics, at extra cost)."
  type        = string
  default     = "enabled"
  nullable    = false

  validation {
    condition     = contains(["enabled", "enhanced"], var.container_insights)
    error_message = "container_insights must be \"enabled\" or \"enhanced\" (this module does not turn it off)."
  }
}

# --- Service logs ---------------------------------------------------------------------------------------------

variable "service_log_groups" {
  description = "Services (short names) whose log groups share one key made here, e.g. [\"frontend\", \"backend\"]: each group is named `/ecs/<name>/<service>` (output log_group_names) and CloudWatch Logs may use the key for exactly those groups. Empty: no key (each service makes its own)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.service_log_groups : can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", s))]) && length(distinct(var.service_log_groups)) == length(var.service_log_groups)
    error_message = "service_log_groups must list distinct service names of 2-24 lowercase letters, digits and hyphens, e.g. [\"frontend\", \"backend\"]."
  }
}

variable "logs_kms_key_deletion_window_days" {
  description = "Waiting period before the service logs' key is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.logs_kms_key_deletion_window_days >= 7 && var.logs_kms_key_deletion_window_days <= 30 && floor(var.logs_kms_key_deletion_window_days) == var.logs_kms_key_deletion_window_days
    error_message = "logs_kms_key_deletion_window_days must be a whole number from 7 to 30."
  }
}

# --- ECS Exec audit -------------------------------------------------------------------------------------------

variable "exec_audit_logging" {
  description = "Record every ECS Exec session of the cluster's tasks (commands and output) in the encrypted log group `/ecs/<name>/exec-audit` and encrypt the sessions with the logs key. Turn on whenever a service turns ECS Exec on (ecs-service refuses Exec without it)."
  type        = bool
  default     = false
  nullable    = false
}

variable "exec_audit_retention_days" {
  description = "Days to keep the ECS Exec audit log (a value CloudWatch accepts, e.g. 90, 365, 3653)."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.exec_audit_retention_days)
    error_message = "exec_audit_retention_days must be one of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}
