# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix of the environment, e.g. \"fargate-ai-stack-dev\": the dashboard's name and the prefix of every alarm."
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

# --- What is watched ------------------------------------------------------------------------------------------

variable "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (the alb unit's alb_arn_suffix), e.g. \"app/fargate-ai-stack-dev-alb/0123456789abcdef\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "alb_arn_suffix must look like \"app/<load balancer name>/<id>\", e.g. \"app/fargate-ai-stack-dev-alb/0123456789abcdef\"."
  }
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the frontend target group (the alb unit's target_group_arn_suffix), e.g. \"targetgroup/fargate-ai-stack-dev-frontend/0123456789abcdef\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must look like \"targetgroup/<name>/<id>\", e.g. \"targetgroup/fargate-ai-stack-dev-frontend/0123456789abcdef\"."
  }
}

variable "cluster_name" {
  description = "Name of the ECS cluster the services run in, e.g. \"fargate-ai-stack-dev\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.cluster_name))
    error_message = "cluster_name must be an ECS cluster name (letters, digits, hyphens, underscores), e.g. \"fargate-ai-stack-dev\"."
  }
}

variable "services" {
  description = "Short names of the ECS services to watch; each runs as `<name>-<service>` (the ecs-service module's convention)."
  type        = list(string)
  default     = ["frontend", "backend"]
  nullable    = false

  validation {
    condition     = length(var.services) >= 1 && alltrue([for s in var.services : can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", s))]) && length(distinct(var.services)) == length(var.services)
    error_message = "services must list distinct service names of 2-24 lowercase letters, digits and hyphens, e.g. [\"frontend\", \"backend\"]."
  }
}

variable "load_balanced_service" {
  description = "Which of `services` is the load balancer's target (its unhealthy-target alarm joins that service's deployment alarms), e.g. \"frontend\"."
  type        = string
  default     = "frontend"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.load_balanced_service))
    error_message = "load_balanced_service must be a service name such as \"frontend\"."
  }
}

# --- Thresholds -----------------------------------------------------------------------------------------------

variable "alb_5xx_rate_threshold_percent" {
  description = "Alarm when more than this percentage of requests fail with a 5xx, e.g. 5."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.alb_5xx_rate_threshold_percent > 0 && var.alb_5xx_rate_threshold_percent <= 100
    error_message = "alb_5xx_rate_threshold_percent must be above 0 and at most 100, e.g. 5."
  }
}

variable "alb_5xx_min_requests" {
  description = "Requests per minute below which the 5xx rate is not evaluated (one failure among three requests is not an outage), e.g. 10."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.alb_5xx_min_requests >= 1 && floor(var.alb_5xx_min_requests) == var.alb_5xx_min_requests
    error_message = "alb_5xx_min_requests must be a whole number of requests, 1 or more, e.g. 10."
  }
}

variable "cpu_high_threshold_percent" {
  description = "Alarm when a service's average CPU stays above this percentage, e.g. 85 (above the autoscaling target)."
  type        = number
  default     = 85
  nullable    = false

  validation {
    condition     = var.cpu_high_threshold_percent > 0 && var.cpu_high_threshold_percent <= 100
    error_message = "cpu_high_threshold_percent must be above 0 and at most 100, e.g. 85."
  }
}

variable "memory_high_threshold_percent" {
  description = "Alarm when a service's average memory stays above this percentage, e.g. 85."
  type        = number
  default     = 85
  nullable    = false

  validation {
    condition     = var.memory_high_threshold_percent > 0 && var.memory_high_threshold_percent <= 100
    error_message = "memory_high_threshold_percent must be above 0 and at most 100, e.g. 85."
  }
}

variable "evaluation_periods" {
  description = "Consecutive one-minute periods a condition must hold before an alarm fires, e.g. 3."
  type        = number
  default     = 3
  nullable    = false

  validation {
    condition     = var.evaluation_periods >= 1 && var.evaluation_periods <= 60 && floor(var.evaluation_periods) == var.evaluation_periods
    error_message = "evaluation_periods must be a whole number from 1 to 60, e.g. 3."
  }
}

# --- Notifications --------------------------------------------------------------------------------------------

variable "alarm_email" {
  description = "E-mail address to notify of alarms (through a new KMS-encrypted SNS topic), e.g. \"ops@example.com\". Empty: no topic is created."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an e-mail address such as \"ops@example.com\"."
  }
}

variable "alarm_sns_topic_arn" {
  description = "Existing SNS topic to notify of alarms instead of creating one, e.g. \"arn:aws:sns:us-east-1:123456789012:ops-alerts\" (its key policy must let CloudWatch use it). Empty: none."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.alarm_sns_topic_arn == "" || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be empty or an SNS topic ARN such as \"arn:aws:sns:us-east-1:123456789012:ops-alerts\"."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to encrypt the alarm topic with (its policy must let cloudwatch.amazonaws.com use it for the topic). Empty: the module makes its own key (modules/kms-key)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be empty or a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the notification topic's KMS key is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30 && floor(var.kms_key_deletion_window_days) == var.kms_key_deletion_window_days
    error_message = "kms_key_deletion_window_days must be a whole number from 7 to 30."
  }
}
