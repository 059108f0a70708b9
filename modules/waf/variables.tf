# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix of the environment, e.g. \"fargate-ai-stack-dev\": the web ACL's name, its log group `aws-waf-logs-<name>` and its alarm `<name>-waf-blocked-requests`."
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

# --- What is protected ----------------------------------------------------------------------------------------

variable "alb_arn" {
  description = "ARN of the Application Load Balancer the web ACL protects (the alb unit's alb_arn), e.g. \"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fargate-ai-stack-dev-alb/0123456789abcdef\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/[A-Za-z0-9-]+/[0-9a-f]+$", var.alb_arn))
    error_message = "alb_arn must be the ARN of an Application Load Balancer (\"...:loadbalancer/app/<name>/<id>\"; WAF cannot protect a Network Load Balancer), e.g. \"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fargate-ai-stack-dev-alb/0123456789abcdef\"."
  }
}

# --- Rules ----------------------------------------------------------------------------------------------------

variable "chat_path" {
  description = "Path of the chat API whose requests are rate-limited per client IP (matched as a prefix, case-insensitively), e.g. \"/api/chat\"."
  type        = string
  default     = "/api/chat"
  nullable    = false

  validation {
    condition     = can(regex("^/[a-z0-9/._~-]{0,199}$", var.chat_path))
    error_message = "chat_path must be a lowercase URL path starting with \"/\" (at most 200 characters), e.g. \"/api/chat\"."
  }
}

variable "chat_rate_limit" {
  description = "Chat requests one client IP may send per chat_rate_window_seconds before WAF blocks it until its rate falls again (AWS allows 10 to 2,000,000,000), e.g. 300."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.chat_rate_limit >= 10 && var.chat_rate_limit <= 2000000000 && floor(var.chat_rate_limit) == var.chat_rate_limit
    error_message = "chat_rate_limit must be a whole number from 10 to 2000000000 (AWS WAF's range for rate-based rules), e.g. 300."
  }
}

variable "chat_rate_window_seconds" {
  description = "The window over which chat_rate_limit counts, in seconds: 60, 120, 300 or 600 (the values AWS WAF accepts)."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = contains([60, 120, 300, 600], var.chat_rate_window_seconds)
    error_message = "chat_rate_window_seconds must be 60, 120, 300 or 600 (the evaluation windows AWS WAF accepts)."
  }
}

variable "max_body_bytes" {
  description = "Largest request body, in bytes, by its Content-Length: larger requests are blocked. Keep it equal to the app's own limit (the frontend's and backend's 1 MiB for POST /api/chat), e.g. 1048576."
  type        = number
  default     = 1048576
  nullable    = false

  validation {
    condition     = var.max_body_bytes >= 8192 && var.max_body_bytes <= 1073741824 && floor(var.max_body_bytes) == var.max_body_bytes
    error_message = "max_body_bytes must be a whole number of bytes from 8192 (what WAF inspects anyway) to 1073741824 (1 GiB), e.g. 1048576."
  }
}

# --- Logs -----------------------------------------------------------------------------------------------------

variable "log_retention_days" {
  description = "Days to keep the WAF logs (a value CloudWatch accepts, e.g. 7, 30, 90, 365)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to encrypt the WAF logs with (its policy must let `logs.<region>.amazonaws.com` use it for the log group `aws-waf-logs-<name>`). Empty: the module makes its own key (modules/kms-key)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be empty or a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the logs' KMS key is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30 && floor(var.kms_key_deletion_window_days) == var.kms_key_deletion_window_days
    error_message = "kms_key_deletion_window_days must be a whole number from 7 to 30."
  }
}

# --- Alarm ----------------------------------------------------------------------------------------------------

variable "blocked_requests_alarm_threshold" {
  description = "Alarm when the WAF blocks more than this many requests in 5 minutes, e.g. 500."
  type        = number
  default     = 500
  nullable    = false

  validation {
    condition     = var.blocked_requests_alarm_threshold >= 1 && floor(var.blocked_requests_alarm_threshold) == var.blocked_requests_alarm_threshold
    error_message = "blocked_requests_alarm_threshold must be a whole number of at least 1, e.g. 500."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic the alarm notifies (the notifications unit's topic_arn), e.g. \"arn:aws:sns:us-east-1:123456789012:fargate-ai-stack-dev-alarms\". Empty: the alarm only changes state."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.alarm_topic_arn == "" || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be empty or an SNS topic ARN such as \"arn:aws:sns:us-east-1:123456789012:ops-alerts\"."
  }
}
