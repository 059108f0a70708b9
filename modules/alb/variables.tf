# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\" (the load balancer becomes `<name>-alb`, at most 32 characters)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,26}[a-z0-9]$", var.name))
    error_message = "name must be 3-28 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. \"fargate-ai-stack-dev\"), so that \"<name>-alb\" and \"<name>-frontend\" fit the 32-character limit of load balancer and target group names."
  }
}

variable "tags" {
  description = "Extra tags for every resource (the provider's default_tags already add app, env and managed-by)."
  type        = map(string)
  default     = {}
  nullable    = false
}

# --- Network --------------------------------------------------------------------------------------------------

variable "vpc_id" {
  description = "ID of the VPC, e.g. \"vpc-0123456789abcdef0\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as \"vpc-0123456789abcdef0\"."
  }
}

variable "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC, e.g. \"10.10.0.0/16\": the load balancer may only send traffic there (to the targets)."
  type        = string
  nullable    = false

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr_block))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block such as \"10.10.0.0/16\"."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets for the load balancer, in at least two availability zones, e.g. [\"subnet-0aaa...\", \"subnet-0bbb...\"]."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.public_subnet_ids) >= 2 && alltrue([for id in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "public_subnet_ids must list at least two subnet IDs (an Application Load Balancer needs two zones), e.g. [\"subnet-0123456789abcdef0\", \"subnet-0fedcba9876543210\"]."
  }
}

# --- Listeners ------------------------------------------------------------------------------------------------

variable "require_https" {
  description = "Refuse to plan without HTTPS (production): then a certificate_arn, or a domain_name with a hosted zone, must be given. False allows plain HTTP on port 80 (development, or a CDN in front that terminates TLS)."
  type        = bool
  default     = true
  nullable    = false
}

variable "certificate_arn" {
  description = "ARN of an ACM certificate (requested or imported) for the HTTPS listener, covering domain_name. Set: HTTPS on 443 and HTTP on 80 only redirects to it; no certificate is requested. Empty (the default): one is requested when domain_name and a hosted zone are given, else plain HTTP on 80 forwards to the frontend."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn must be empty or an ACM certificate ARN such as \"arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab\"."
  }
}

variable "domain_name" {
  description = "Host name users reach the application at, e.g. \"chat.example.com\": the `url` output, the name a requested certificate covers and the alias record's name when a hosted zone is given. Empty: the load balancer's DNS name."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be empty or a lowercase host name such as \"chat.example.com\"."
  }
}

variable "hosted_zone_id" {
  description = "ID of the public Route 53 hosted zone holding domain_name, e.g. \"Z0123456789ABCDEFGHIJ\" (or give hosted_zone_name). Set: an alias record points domain_name at the load balancer, and without certificate_arn an ACM certificate is requested and validated by DNS records in the zone. Empty: no DNS records."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.hosted_zone_id == "" || can(regex("^Z[A-Z0-9]{1,31}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be empty or a Route 53 hosted zone ID such as \"Z0123456789ABCDEFGHIJ\" (without the /hostedzone/ prefix)."
  }
}

variable "hosted_zone_name" {
  description = "Name of the public Route 53 hosted zone holding domain_name, e.g. \"example.com\": the same as hosted_zone_id, looked up by name. Give one of the two, not both."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.hosted_zone_name == "" || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.hosted_zone_name))
    error_message = "hosted_zone_name must be empty or a lowercase zone name such as \"example.com\" (without the trailing dot)."
  }
}

variable "ssl_policy" {
  description = "Security policy of the HTTPS listener (TLS 1.2 or newer only). The default, \"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09\", is the one AWS recommends: TLS 1.3 and 1.2 with strong ciphers and hybrid post-quantum key exchange."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"
  nullable    = false

  validation {
    condition     = contains(["ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"], var.ssl_policy)
    error_message = "ssl_policy must be a TLS 1.2+ policy: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (default), ELBSecurityPolicy-TLS13-1-2-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-FS-1-2-Res-2020-10, ELBSecurityPolicy-TLS-1-2-2017-01 or ELBSecurityPolicy-TLS-1-2-Ext-2018-06."
  }
}

variable "idle_timeout" {
  description = "Seconds a connection may stay idle before the load balancer closes it. Must stay below the apps' 65 s keep-alive (see README \"Timeouts\")."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.idle_timeout >= 16 && var.idle_timeout <= 64 && floor(var.idle_timeout) == var.idle_timeout
    error_message = "idle_timeout must be a whole number of seconds from 16 (above the apps' 15 s SSE heartbeat) to 64 (below their 65 s keep-alive), e.g. 60."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer (true in production: a destroy fails until this is turned off)."
  type        = bool
  default     = true
  nullable    = false
}

# --- Target group ---------------------------------------------------------------------------------------------

variable "target_port" {
  description = "Port the frontend containers listen on (target group port and the only port the load balancer may send to), e.g. 3000."
  type        = number
  default     = 3000
  nullable    = false

  validation {
    condition     = var.target_port >= 1024 && var.target_port <= 65535 && floor(var.target_port) == var.target_port
    error_message = "target_port must be an unprivileged port from 1024 to 65535 (the containers run as a non-root user), e.g. 3000."
  }
}

variable "health_check_path" {
  description = "Path of the frontend's health check, e.g. \"/healthz\"."
  type        = string
  default     = "/healthz"
  nullable    = false

  validation {
    condition     = can(regex("^/[A-Za-z0-9/._~-]*$", var.health_check_path)) && length(var.health_check_path) <= 1024
    error_message = "health_check_path must be an absolute URL path such as \"/healthz\"."
  }
}

variable "deregistration_delay" {
  description = "Seconds a stopping frontend task keeps receiving no new requests but may finish open ones (streamed replies) before it is removed, 0-3600, e.g. 60."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600 && floor(var.deregistration_delay) == var.deregistration_delay
    error_message = "deregistration_delay must be a whole number of seconds from 0 to 3600, e.g. 60."
  }
}

# --- Access logs ----------------------------------------------------------------------------------------------

variable "access_logs_retention_days" {
  description = "Days to keep load balancer access logs in the bucket before they expire, e.g. 7 (dev) or 90 (prod)."
  type        = number
  default     = 90
  nullable    = false

  validation {
    condition     = var.access_logs_retention_days >= 1 && var.access_logs_retention_days <= 3653 && floor(var.access_logs_retention_days) == var.access_logs_retention_days
    error_message = "access_logs_retention_days must be a whole number of days from 1 to 3653, e.g. 90."
  }
}

variable "access_logs_force_destroy" {
  description = "Delete the access-log bucket together with its logs on destroy (dev). False keeps the logs: destroy fails until the bucket is emptied."
  type        = bool
  default     = false
  nullable    = false
}
