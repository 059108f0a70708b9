# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\"."
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

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the module's IAM roles (flow-log role), e.g. \"arn:aws:iam::123456789012:policy/fargate-ai-stack-dev-ci-boundary\": required when the CI deploy role (modules/ci-roles) creates them. Empty: none."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.permissions_boundary_arn == "" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be empty or an IAM policy ARN, e.g. \"arn:aws:iam::123456789012:policy/fargate-ai-stack-dev-ci-boundary\"."
  }
}

# --- Addresses and zones --------------------------------------------------------------------------------------

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC, /16 to /24, e.g. \"10.10.0.0/16\". Subnets are carved from it."
  type        = string
  nullable    = false

  validation {
    condition     = can(cidrnetmask(var.cidr_block)) && tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 24
    error_message = "cidr_block must be an IPv4 CIDR between /16 and /24, e.g. \"10.10.0.0/16\"."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets over (2 or more for resilience; the ALB needs 2)."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number from 2 to 6: an Application Load Balancer needs subnets in at least two zones."
  }
}

variable "availability_zones" {
  description = "Availability zone names to use. Empty (the default) takes the first az_count zones of the region."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) >= 2
    error_message = "availability_zones must be empty (automatic) or name at least two zones, e.g. [\"us-east-1a\", \"us-east-1b\"]."
  }
}

# --- Egress ---------------------------------------------------------------------------------------------------

variable "nat_gateway_strategy" {
  description = "NAT gateways for the private subnets' outbound traffic: \"single\" (one shared, cheap; dev) or \"one_per_az\" (survives a zone outage; prod)."
  type        = string
  default     = "single"
  nullable    = false

  validation {
    condition     = contains(["single", "one_per_az"], var.nat_gateway_strategy)
    error_message = "nat_gateway_strategy must be \"single\" or \"one_per_az\"."
  }
}

variable "vpc_endpoints" {
  description = "Add VPC endpoints so the tasks reach AWS without the NAT gateway: an S3 gateway endpoint on the private route tables (free; its policy allows only ECR's image-layer bucket and vpc_endpoint_s3_bucket_arns) and interface endpoints with private DNS in the private subnets for ecr.api, ecr.dkr, logs, secretsmanager, kms, sts and cognito-idp (each about 7.3 USD a month per zone plus 0.01 USD per GB)."
  type        = bool
  default     = false
  nullable    = false
}

variable "vpc_endpoint_allowed_security_group_ids" {
  description = "Security groups whose members may reach the interface endpoints on 443. Empty (the default): the whole VPC CIDR may."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.vpc_endpoint_allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "vpc_endpoint_allowed_security_group_ids must hold security group IDs such as \"sg-0123456789abcdef0\"."
  }
}

variable "vpc_endpoint_s3_bucket_arns" {
  description = "S3 buckets (ARNs, in this region) the private subnets may list, read and write through the S3 gateway endpoint, besides ECR's image-layer bucket, e.g. [\"arn:aws:s3:::my-app-uploads\"]. Empty (the default): only image layers."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.vpc_endpoint_s3_bucket_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", arn))])
    error_message = "vpc_endpoint_s3_bucket_arns must hold bucket ARNs (no wildcards, no object paths), e.g. \"arn:aws:s3:::my-app-uploads\"."
  }
}

# --- Flow logs ------------------------------------------------------------------------------------------------

variable "flow_logs_retention_days" {
  description = "Days to keep VPC flow logs in CloudWatch Logs (a value CloudWatch accepts, e.g. 7, 30, 90, 365)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_logs_retention_days)
    error_message = "flow_logs_retention_days must be one of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "flow_logs_traffic_type" {
  description = "Which traffic flow logs record: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"
  nullable    = false

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_logs_traffic_type)
    error_message = "flow_logs_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to encrypt the flow logs with (its policy must let `logs.<region>.amazonaws.com` use it for the flow-log group). Empty: the module makes its own key (modules/kms-key)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be empty or a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the flow-log KMS key is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30
    error_message = "kms_key_deletion_window_days must be between 7 and 30."
  }
}
