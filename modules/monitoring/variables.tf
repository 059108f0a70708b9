# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix of the environment, e.g. \"fargate-ai-stack-dev\": the dashboard's name."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. \"fargate-ai-stack-dev\")."
  }
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
  description = "The ECS services to show, short name => service name (the service units' service_name), e.g. { frontend = \"fargate-ai-stack-dev-frontend\", backend = \"fargate-ai-stack-dev-backend\" }."
  type        = map(string)
  nullable    = false

  validation {
    condition     = length(var.services) >= 1 && alltrue([for s, name in var.services : can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", s)) && can(regex("^[A-Za-z0-9_-]{1,255}$", name))])
    error_message = "services must map short names of 2-24 lowercase letters, digits and hyphens to ECS service names, e.g. { frontend = \"fargate-ai-stack-dev-frontend\" }."
  }
}

variable "waf_web_acl_name" {
  description = "Name of the web ACL in front of the load balancer (the waf unit's web_acl_name), whose allowed and blocked requests the dashboard shows, e.g. \"fargate-ai-stack-dev\". Empty: no WAF widget."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.waf_web_acl_name == "" || can(regex("^[A-Za-z0-9_-]{1,128}$", var.waf_web_acl_name))
    error_message = "waf_web_acl_name must be empty or a web ACL name of 1-128 letters, digits, hyphens and underscores, e.g. \"fargate-ai-stack-dev\"."
  }
}

# --- Alarms ---------------------------------------------------------------------------------------------------

variable "alarm_names" {
  description = "Names of the environment's alarms (the service units' alarm_names and the waf unit's alarm_name), shown on the dashboard and passed on as the output alarm_names, e.g. [\"fargate-ai-stack-dev-frontend-5xx-rate\"]."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for alarm in var.alarm_names : length(alarm) >= 1 && length(alarm) <= 255])
    error_message = "alarm_names must hold CloudWatch alarm names of 1-255 characters."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic the module's own alarms (estimated spend, budget rejections) notify (the notifications unit's topic_arn), e.g. \"arn:aws:sns:us-east-1:123456789012:fargate-ai-stack-dev-alarms\". Empty: the alarms only change state."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.alarm_topic_arn == "" || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be empty or an SNS topic ARN such as \"arn:aws:sns:us-east-1:123456789012:ops-alerts\"."
  }
}

# --- Usage and spend (the backend's metrics) ------------------------------------------------------------------

variable "env" {
  description = "Environment name, e.g. \"dev\": the Environment dimension of the backend's metrics (its ENVIRONMENT_NAME)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.env))
    error_message = "env must be 2-16 lowercase letters and digits, starting with a letter (e.g. \"dev\")."
  }
}

variable "model_prices_usd_per_million_tokens" {
  description = "Price of each model the backend may use, in USD per million input and output tokens, e.g. { \"gpt-4o-mini\" = { input = 0.15, output = 0.60 } }: the dashboard's tokens and estimated spend per model, and the daily spend alarm. At most 5 models (an alarm's metric math takes 10 metrics). Empty: no spend alarm, and the token widgets show no model."
  type = map(object({
    input  = number
    output = number
  }))
  default  = {}
  nullable = false

  validation {
    condition     = length(var.model_prices_usd_per_million_tokens) <= 5 && alltrue([for model, price in var.model_prices_usd_per_million_tokens : can(regex("^[A-Za-z0-9._:-]{1,100}$", model)) && price.input >= 0 && price.output >= 0])
    error_message = "model_prices_usd_per_million_tokens must map at most 5 model names (letters, digits, \".\", \"_\", \":\", \"-\") to non-negative prices, e.g. { \"gpt-4o-mini\" = { input = 0.15, output = 0.60 } }."
  }
}

variable "spend_alarm_daily_usd" {
  description = "Estimated spend in USD over 24 hours (all models' tokens at model_prices_usd_per_million_tokens) at or above which the alarm `<name>-estimated-daily-spend` fires, e.g. 20. 0: no such alarm."
  type        = number
  default     = 0
  nullable    = false

  validation {
    condition     = var.spend_alarm_daily_usd >= 0
    error_message = "spend_alarm_daily_usd must be 0 (no alarm) or a positive amount of USD, e.g. 20."
  }
}

variable "budget_rejections_alarm_threshold" {
  description = "Chats refused per 5 minutes for a user's budget or the environment's cap (outcomes budget_exceeded and spend_cap_reached) above which the alarm `<name>-budget-rejections` fires, e.g. 50."
  type        = number
  default     = 50
  nullable    = false

  validation {
    condition     = var.budget_rejections_alarm_threshold >= 1 && floor(var.budget_rejections_alarm_threshold) == var.budget_rejections_alarm_threshold
    error_message = "budget_rejections_alarm_threshold must be a whole number of chats from 1 up, e.g. 50."
  }
}
