# --- Naming ---------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix for every resource, e.g. \"fargate-ai-stack-dev\"; the service is `<name>-<service>`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. \"fargate-ai-stack-dev\")."
  }
}

variable "service" {
  description = "Short name of the service, e.g. \"frontend\" or \"backend\": the container name, the Cloud Map name and the suffix of the ECS service name."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.service))
    error_message = "service must be 2-24 characters of lowercase letters, digits and hyphens, starting with a letter, e.g. \"backend\"."
  }
}

variable "tags" {
  description = "Extra tags for every resource (the provider's default_tags already add app, env and managed-by)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the module's IAM roles (task and execution roles), e.g. \"arn:aws:iam::123456789012:policy/fargate-ai-stack-dev-ci-boundary\": required when the CI deploy role (modules/ci-roles) creates them. Empty: none."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.permissions_boundary_arn == "" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be empty or an IAM policy ARN, e.g. \"arn:aws:iam::123456789012:policy/fargate-ai-stack-dev-ci-boundary\"."
  }
}

# --- Container ------------------------------------------------------------------------------------------------

variable "image" {
  description = "Container image pinned by digest (never a mutable tag), e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/fargate-ai-stack-dev-backend@sha256:<64 hex>`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.:_/-]*@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be a repository reference pinned by digest, \"<registry>/<repository>@sha256:<64 hex digits>\", e.g. \"123456789012.dkr.ecr.us-east-1.amazonaws.com/app-backend@sha256:0123...\" — not a tag such as \":latest\"."
  }
}

variable "container_port" {
  description = "Port the container listens on (also passed to it as PORT), e.g. 3000 for the frontend, 4000 for the backend."
  type        = number
  nullable    = false

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "container_port must be an unprivileged port from 1024 to 65535 (the container runs as user 1000), e.g. 4000."
  }
}

variable "cpu" {
  description = "Task CPU units (Fargate): 256, 512, 1024, 2048, 4096, 8192 or 16384."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384 (e.g. 256 = 0.25 vCPU)."
  }
}

variable "memory" {
  description = "Task memory in MiB, a size Fargate allows for the chosen cpu (e.g. 512 with cpu 256, 1024 with cpu 512)."
  type        = number
  default     = 512
  nullable    = false

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880 && floor(var.memory) == var.memory
    error_message = "memory must be a whole number of MiB from 512 to 122880 that Fargate allows for the cpu, e.g. 512 (cpu 256) or 2048 (cpu 1024)."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the image: \"X86_64\" or \"ARM64\" (Graviton, cheaper; needs an arm64 image)."
  type        = string
  default     = "X86_64"
  nullable    = false

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be \"X86_64\" or \"ARM64\"."
  }
}

variable "environment" {
  description = "Plain environment variables of the container (never credentials: use `secrets`, or let the app fetch them). PORT is set from container_port."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for key in keys(var.environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", key))])
    error_message = "environment keys must be valid variable names (letters, digits, underscores; not starting with a digit), e.g. LOG_LEVEL."
  }
  validation {
    condition     = !anytrue([for key in keys(var.environment) : can(regex("(?i)(API_KEY|PASSWORD|PASSWD|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|TOKEN)$", key))])
    error_message = "environment must not carry credentials (a key ends in API_KEY, PASSWORD, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY or TOKEN): pass a secret's ARN (e.g. OPENAI_SECRET_ID) and let the app fetch it, or use `secrets`."
  }
}

variable "secrets" {
  description = "Values ECS injects as environment variables at start from Secrets Manager or SSM Parameter Store, e.g. [{ name = \"DB_PASSWORD\", valueFrom = \"arn:aws:secretsmanager:...:secret:db-AbCdEf\" }]. The execution role must be allowed to read them."
  type = list(object({
    name      = string
    valueFrom = string
  }))
  default  = []
  nullable = false

  validation {
    condition = alltrue([for s in var.secrets :
      can(regex("^[A-Za-z_][A-Za-z0-9_]*$", s.name)) &&
      can(regex("^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:[0-9]{12}:(secret:|parameter/).+$", s.valueFrom))
    ])
    error_message = "each secret needs a variable name and a Secrets Manager or SSM parameter ARN as valueFrom, e.g. { name = \"DB_PASSWORD\", valueFrom = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf\" }."
  }
}

variable "secrets_kms_key_arns" {
  description = "ARNs of the customer-managed KMS keys that encrypt the injected Secrets Manager `secrets` (e.g. the auth unit's session_secret_kms_key_arn): the execution role may kms:Decrypt them only through Secrets Manager and only for those secrets. Empty: secrets encrypted with the AWS managed key need none."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.secrets_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", arn))])
    error_message = "secrets_kms_key_arns must hold KMS key ARNs (not aliases), e.g. [\"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]."
  }
  validation {
    condition     = length(var.secrets_kms_key_arns) == 0 || anytrue([for s in var.secrets : strcontains(s.valueFrom, ":secretsmanager:")])
    error_message = "secrets_kms_key_arns needs Secrets Manager secrets in `secrets`: the keys are only used to decrypt those."
  }
}

variable "readonly_root_filesystem" {
  description = "Mount the container's root filesystem read-only (only /tmp is writable). Turn off only together with enable_execute_command."
  type        = bool
  default     = true
  nullable    = false
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL when a task stops, so in-flight streamed replies can finish (2-120 on Fargate), e.g. 30 (the apps shut down within 25 s)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.stop_timeout >= 2 && var.stop_timeout <= 120 && floor(var.stop_timeout) == var.stop_timeout
    error_message = "stop_timeout must be a whole number of seconds from 2 to 120 (the Fargate maximum), e.g. 30."
  }
}

# --- Health ---------------------------------------------------------------------------------------------------

variable "health_check_path" {
  description = "HTTP path of the app's health endpoint, probed from inside the container, e.g. \"/healthz\"."
  type        = string
  default     = "/healthz"
  nullable    = false

  validation {
    condition     = can(regex("^/[A-Za-z0-9/._~-]*$", var.health_check_path))
    error_message = "health_check_path must be an absolute URL path such as \"/healthz\"."
  }
}

variable "health_check_command" {
  description = "Container health check command, e.g. [\"CMD\", \"/app/healthcheck\"]. Empty (the default) uses Node to GET `http://127.0.0.1:<container_port><health_check_path>`."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = length(var.health_check_command) == 0 || contains(["CMD", "CMD-SHELL"], try(var.health_check_command[0], ""))
    error_message = "health_check_command must be empty or start with \"CMD\" or \"CMD-SHELL\", e.g. [\"CMD\", \"/app/healthcheck\"]."
  }
}

variable "health_check_start_period" {
  description = "Seconds after start during which failed container health checks do not count (0-300), e.g. 15."
  type        = number
  default     = 15
  nullable    = false

  validation {
    condition     = var.health_check_start_period >= 0 && var.health_check_start_period <= 300 && floor(var.health_check_start_period) == var.health_check_start_period
    error_message = "health_check_start_period must be a whole number of seconds from 0 to 300, e.g. 15."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ECS ignores failing load balancer health checks of a new task (only with target_group_arn). 0 (AWS's default) suits apps that are healthy within the target group's first checks."
  type        = number
  default     = 0
  nullable    = false

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647 && floor(var.health_check_grace_period_seconds) == var.health_check_grace_period_seconds
    error_message = "health_check_grace_period_seconds must be a whole number of seconds, 0 or more, e.g. 30."
  }
}

# --- Permissions ----------------------------------------------------------------------------------------------

variable "repository_arns" {
  description = "ECR repositories the execution role may pull from (the image's), e.g. [\"arn:aws:ecr:us-east-1:123456789012:repository/fargate-ai-stack-dev-backend\"]. Empty: an image from outside ECR."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9._/-]+$", arn))])
    error_message = "repository_arns must hold ECR repository ARNs (never \"*\"), e.g. \"arn:aws:ecr:us-east-1:123456789012:repository/fargate-ai-stack-dev-backend\"."
  }
}

variable "task_role_description" {
  description = "What the application may do with AWS, in words, for the task role's description, e.g. \"reads the OpenAI API key secret and nothing else\"."
  type        = string
  default     = "no AWS permissions"
  nullable    = false

  validation {
    condition     = length(var.task_role_description) >= 1 && length(var.task_role_description) <= 900
    error_message = "task_role_description must be 1-900 characters, e.g. \"reads the OpenAI API key secret and nothing else\"."
  }
}

variable "task_role_statements" {
  description = "IAM statements of the application's task role: a Sid, actions, resources and optional conditions each, e.g. [{ sid = \"ReadTheKey\", actions = [\"secretsmanager:GetSecretValue\"], resources = [\"arn:aws:secretsmanager:...\"] }]. Empty: the app gets no AWS permissions."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default  = []
  nullable = false

  validation {
    condition = alltrue([for st in var.task_role_statements :
      can(regex("^[A-Za-z0-9]+$", st.sid)) && length(st.actions) > 0 && length(st.resources) > 0 &&
      alltrue([for a in st.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9]+\\*?$", a))])
    ])
    error_message = "each task role statement needs an alphanumeric sid, resources, and spelled-out actions such as \"secretsmanager:GetSecretValue\" (never \"*\" or \"service:*\")."
  }
}

variable "enable_execute_command" {
  description = "Allow ECS Exec (interactive shells in running tasks); the task role then gets the ssmmessages channel actions and may write the cluster's Exec audit log. Needs readonly_root_filesystem = false and exec_audit."
  type        = bool
  default     = false
  nullable    = false
}

variable "exec_audit" {
  description = "Where ECS Exec sessions are recorded and the key that encrypts them: the ecs-cluster unit's exec_audit output (its exec_audit_logging on), e.g. { log_group_arn = \"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fargate-ai-stack-dev/exec-audit\", kms_key_arn = \"arn:aws:kms:us-east-1:123456789012:key/...\" }. Required with enable_execute_command: Exec is never unaudited. Both empty (the default): no audit log."
  type = object({
    log_group_arn = string
    kms_key_arn   = string
  })
  default  = { log_group_arn = "", kms_key_arn = "" }
  nullable = false

  validation {
    condition = (var.exec_audit.log_group_arn == "" && var.exec_audit.kms_key_arn == "") || (
      can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[^*]+$", var.exec_audit.log_group_arn)) &&
      can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.exec_audit.kms_key_arn))
    )
    error_message = "exec_audit needs both the audit log group's ARN (arn:aws:logs:<region>:<account>:log-group:<name>, no :* suffix) and a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), the ecs-cluster unit's exec_audit output; or both empty."
  }
}

# --- Logs -----------------------------------------------------------------------------------------------------

variable "log_group_name" {
  description = "Name of the service's log group, e.g. \"/ecs/fargate-ai-stack-dev/backend\" (the ecs-cluster unit's log_group_names, whose key names it). Empty: `/ecs/<name>/<service>`."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.log_group_name == "" || can(regex("^[A-Za-z0-9_./#-]{1,512}$", var.log_group_name))
    error_message = "log_group_name must be empty or a CloudWatch Logs log group name (letters, digits, \"_\", \"-\", \"/\", \".\" and \"#\"), e.g. \"/ecs/fargate-ai-stack-dev/backend\"."
  }
}

variable "log_retention_days" {
  description = "Days to keep the service's logs (a value CloudWatch accepts, e.g. 7, 30, 90, 365)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to encrypt the service's logs with (its policy must let `logs.<region>.amazonaws.com` use it for the log group). Empty: the module makes its own key (modules/kms-key)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be empty or a KMS key ARN (not an alias), e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the log group's KMS key is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30 && floor(var.kms_key_deletion_window_days) == var.kms_key_deletion_window_days
    error_message = "kms_key_deletion_window_days must be a whole number from 7 to 30."
  }
}

# --- Cluster and network --------------------------------------------------------------------------------------

variable "cluster_arn" {
  description = "ARN of the ECS cluster, e.g. \"arn:aws:ecs:us-east-1:123456789012:cluster/fargate-ai-stack-dev\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]+$", var.cluster_arn))
    error_message = "cluster_arn must be an ECS cluster ARN such as \"arn:aws:ecs:us-east-1:123456789012:cluster/fargate-ai-stack-dev\"."
  }
}

variable "cluster_name" {
  description = "Name of the same ECS cluster (autoscaling addresses services by it), e.g. \"fargate-ai-stack-dev\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.cluster_name))
    error_message = "cluster_name must be an ECS cluster name (letters, digits, hyphens, underscores), e.g. \"fargate-ai-stack-dev\"."
  }
}

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
  description = "IPv4 CIDR of the VPC, e.g. \"10.10.0.0/16\" (destination of the egress_vpc_ports rules)."
  type        = string
  nullable    = false

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr_block))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block such as \"10.10.0.0/16\"."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the tasks, ideally one per availability zone (Fargate spreads tasks over them), e.g. [\"subnet-0aaa...\", \"subnet-0bbb...\"]."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.subnet_ids) >= 1 && alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "subnet_ids must list at least one subnet ID, e.g. [\"subnet-0123456789abcdef0\"]."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups whose members may connect to the container port (e.g. the load balancer's for the frontend). Nothing else may, except services that open this group themselves (their callee_security_groups)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "allowed_security_group_ids must hold security group IDs such as \"sg-0123456789abcdef0\"."
  }
}

variable "egress_vpc_ports" {
  description = "TCP ports the tasks may connect to inside the VPC (besides 443 anywhere with internet_egress), e.g. [4000] for a frontend that calls the backend."
  type        = list(number)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for port in var.egress_vpc_ports : port >= 1 && port <= 65535 && floor(port) == port])
    error_message = "egress_vpc_ports must hold whole port numbers from 1 to 65535, e.g. [4000]."
  }
}

variable "internet_egress" {
  description = "Let the tasks open HTTPS (443) connections anywhere, through the NAT gateway: needed for external APIs (the backend's OpenAI) and, without VPC endpoints, for AWS's public endpoints (ECR, CloudWatch Logs, Secrets Manager). false: no 0.0.0.0/0 rule at all; AWS only through endpoint_security_group_id and s3_prefix_list_id, which must then be given."
  type        = bool
  default     = true
  nullable    = false
}

variable "endpoint_security_group_id" {
  description = "Security group of the VPC's interface endpoints (the vpc unit's vpc_endpoints_security_group_id): the tasks get 443 egress to it. Empty (the default): none."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.endpoint_security_group_id == "" || can(regex("^sg-[0-9a-f]{8,17}$", var.endpoint_security_group_id))
    error_message = "endpoint_security_group_id must be empty or a security group ID such as \"sg-0123456789abcdef0\"."
  }
}

variable "s3_prefix_list_id" {
  description = "Managed prefix list of the VPC's S3 gateway endpoint (the vpc unit's s3_prefix_list_id): the tasks get 443 egress to it (ECR's image layers). Empty (the default): none."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.s3_prefix_list_id == "" || can(regex("^pl-[0-9a-f]{8,17}$", var.s3_prefix_list_id))
    error_message = "s3_prefix_list_id must be empty or a prefix list ID such as \"pl-63a5400a\"."
  }
}

variable "callee_security_groups" {
  description = "Security groups of services this one calls, each opened to this service's tasks on the given port by an ingress rule this module owns, e.g. [{ security_group_id = \"sg-0123456789abcdef0\", port = 4000 }] for a frontend calling the backend: the called service need not know its callers, so it can apply first."
  type = list(object({
    security_group_id = string
    port              = number
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for g in var.callee_security_groups : can(regex("^sg-[0-9a-f]{8,17}$", g.security_group_id)) && g.port >= 1 && g.port <= 65535 && floor(g.port) == g.port])
    error_message = "callee_security_groups must hold security group IDs such as \"sg-0123456789abcdef0\" with whole port numbers from 1 to 65535."
  }
}

# --- Load balancer and discovery ------------------------------------------------------------------------------

variable "target_group_arn" {
  description = "Load balancer target group (ip targets) to register the tasks in; empty = no load balancer."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.target_group_arn == "" || can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/.+$", var.target_group_arn))
    error_message = "target_group_arn must be empty or a target group ARN such as \"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-frontend/0123456789abcdef\"."
  }
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the load balancer in front of target_group_arn (the alb unit's alb_arn_suffix), for the service's 5xx-rate and unhealthy-targets alarms, e.g. \"app/fargate-ai-stack-dev-alb/0123456789abcdef\". Required with target_group_arn."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.load_balancer_arn_suffix == "" || can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", var.load_balancer_arn_suffix))
    error_message = "load_balancer_arn_suffix must be empty or look like \"app/<load balancer name>/<id>\", e.g. \"app/fargate-ai-stack-dev-alb/0123456789abcdef\"."
  }
}

variable "service_discovery_namespace_id" {
  description = "Cloud Map private DNS namespace to register the tasks in as A records named `<service>`, e.g. \"ns-abc123\"; empty = no registration."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.service_discovery_namespace_id == "" || can(regex("^ns-[a-z0-9]{16,20}$", var.service_discovery_namespace_id))
    error_message = "service_discovery_namespace_id must be empty or a Cloud Map namespace ID such as \"ns-abcdefghij0123456\"."
  }
}

variable "service_discovery_namespace_name" {
  description = "Domain of that namespace, e.g. \"dev.fargate-ai-stack.local\" (gives the discovery_name output); required with service_discovery_namespace_id."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.service_discovery_namespace_name == "" || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$", var.service_discovery_namespace_name))
    error_message = "service_discovery_namespace_name must be empty or a lowercase DNS domain such as \"dev.fargate-ai-stack.local\"."
  }
}

# --- Deployment -----------------------------------------------------------------------------------------------

variable "deployment_alarm_names" {
  description = "Further CloudWatch alarms (made elsewhere) that roll a deployment back when they fire during it, besides the module's own (alarms.tf), e.g. [\"ops-error-budget\"]."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for alarm in var.deployment_alarm_names : length(alarm) >= 1 && length(alarm) <= 255])
    error_message = "deployment_alarm_names must hold CloudWatch alarm names of 1-255 characters."
  }
}

variable "deployment_alarm_services" {
  description = "Load-balanced services made by this module with the same name whose users see this service's failures, e.g. [\"frontend\"] for the backend it calls: their 5xx-rate alarm (`<name>-<service>-5xx-rate`) also rolls this service's deployments back. Named, not read from them, so this service need not apply after them (ECS takes alarm names before the alarms exist)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.deployment_alarm_services : can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", s))])
    error_message = "deployment_alarm_services must hold service names of 2-24 lowercase letters, digits and hyphens, e.g. [\"frontend\"]."
  }
}

variable "wait_for_steady_state" {
  description = "Make apply wait until the deployment is complete (all tasks healthy), so a failed rollout fails the apply."
  type        = bool
  default     = false
  nullable    = false
}

variable "availability_zone_rebalancing" {
  description = "Let ECS move tasks to rebalance them over availability zones (\"ENABLED\", recommended with 2+ tasks) or not (\"DISABLED\")."
  type        = string
  default     = "ENABLED"
  nullable    = false

  validation {
    condition     = contains(["ENABLED", "DISABLED"], var.availability_zone_rebalancing)
    error_message = "availability_zone_rebalancing must be \"ENABLED\" or \"DISABLED\"."
  }
}

variable "capacity_provider_strategy" {
  description = "Where the tasks run: FARGATE and/or FARGATE_SPOT with weights and an optional base, e.g. [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]. The cluster must have these providers."
  type = list(object({
    capacity_provider = string
    weight            = number
    base              = optional(number, 0)
  }))
  default  = [{ capacity_provider = "FARGATE", weight = 1, base = 0 }]
  nullable = false

  validation {
    condition = (
      length(var.capacity_provider_strategy) >= 1 &&
      alltrue([for s in var.capacity_provider_strategy : contains(["FARGATE", "FARGATE_SPOT"], s.capacity_provider)]) &&
      length(distinct([for s in var.capacity_provider_strategy : s.capacity_provider])) == length(var.capacity_provider_strategy)
    )
    error_message = "capacity_provider_strategy needs one entry each for \"FARGATE\" and/or \"FARGATE_SPOT\", e.g. [{ capacity_provider = \"FARGATE\", weight = 1, base = 2 }, { capacity_provider = \"FARGATE_SPOT\", weight = 1 }]."
  }
  validation {
    condition = alltrue([for s in var.capacity_provider_strategy :
      s.weight >= 0 && s.weight <= 1000 && floor(s.weight) == s.weight && s.base >= 0 && s.base <= 100000 && floor(s.base) == s.base
    ]) && anytrue([for s in var.capacity_provider_strategy : s.weight > 0]) && length([for s in var.capacity_provider_strategy : s if s.base > 0]) <= 1
    error_message = "capacity_provider_strategy weights must be whole numbers 0-1000 (at least one above 0), bases whole numbers 0-100000, and only one entry may have a base above 0."
  }
}

# --- Alarms ---------------------------------------------------------------------------------------------------

variable "alarm_topic_arn" {
  description = "SNS topic the service's alarms notify (the notifications unit's topic_arn), e.g. \"arn:aws:sns:us-east-1:123456789012:fargate-ai-stack-dev-alarms\". Empty: alarms only change state (and roll deployments back)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.alarm_topic_arn == "" || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be empty or an SNS topic ARN such as \"arn:aws:sns:us-east-1:123456789012:ops-alerts\"."
  }
}

variable "http_5xx_rate_threshold_percent" {
  description = "Behind a load balancer: alarm (and roll back) when more than this percentage of the service's requests fail with a 5xx, e.g. 5."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.http_5xx_rate_threshold_percent > 0 && var.http_5xx_rate_threshold_percent <= 100
    error_message = "http_5xx_rate_threshold_percent must be above 0 and at most 100, e.g. 5."
  }
}

variable "http_5xx_min_requests" {
  description = "Requests per minute below which the 5xx rate is not evaluated (one failure among three requests is not an outage), e.g. 10."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.http_5xx_min_requests >= 1 && floor(var.http_5xx_min_requests) == var.http_5xx_min_requests
    error_message = "http_5xx_min_requests must be a whole number of requests, 1 or more, e.g. 10."
  }
}

variable "cpu_high_threshold_percent" {
  description = "Alarm when the service's average CPU stays above this percentage, e.g. 85 (above the autoscaling target)."
  type        = number
  default     = 85
  nullable    = false

  validation {
    condition     = var.cpu_high_threshold_percent > 0 && var.cpu_high_threshold_percent <= 100
    error_message = "cpu_high_threshold_percent must be above 0 and at most 100, e.g. 85."
  }
}

variable "memory_high_threshold_percent" {
  description = "Alarm when the service's average memory stays above this percentage, e.g. 85."
  type        = number
  default     = 85
  nullable    = false

  validation {
    condition     = var.memory_high_threshold_percent > 0 && var.memory_high_threshold_percent <= 100
    error_message = "memory_high_threshold_percent must be above 0 and at most 100, e.g. 85."
  }
}

variable "alarm_evaluation_periods" {
  description = "Consecutive one-minute periods a condition must hold before an alarm fires, e.g. 3."
  type        = number
  default     = 3
  nullable    = false

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && var.alarm_evaluation_periods <= 60 && floor(var.alarm_evaluation_periods) == var.alarm_evaluation_periods
    error_message = "alarm_evaluation_periods must be a whole number from 1 to 60, e.g. 3."
  }
}

# --- Autoscaling ----------------------------------------------------------------------------------------------

variable "min_capacity" {
  description = "Fewest tasks (also the starting count): 1 for a cheap environment, 2 or more to survive a zone or task failure."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.min_capacity >= 1 && var.min_capacity <= 100 && floor(var.min_capacity) == var.min_capacity
    error_message = "min_capacity must be a whole number from 1 to 100, e.g. 2."
  }
}

variable "max_capacity" {
  description = "Most tasks autoscaling may run, at least min_capacity, e.g. 10."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.max_capacity >= 1 && var.max_capacity <= 100 && floor(var.max_capacity) == var.max_capacity
    error_message = "max_capacity must be a whole number from 1 to 100, e.g. 10."
  }
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation (percent) autoscaling keeps the service at, e.g. 70."
  type        = number
  default     = 70
  nullable    = false

  validation {
    condition     = var.cpu_target_percent >= 10 && var.cpu_target_percent <= 95
    error_message = "cpu_target_percent must be between 10 and 95, e.g. 70."
  }
}

variable "memory_target_percent" {
  description = "Average memory utilisation (percent) autoscaling keeps the service at, e.g. 80."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.memory_target_percent >= 10 && var.memory_target_percent <= 95
    error_message = "memory_target_percent must be between 10 and 95, e.g. 80."
  }
}

variable "scale_in_cooldown" {
  description = "Seconds to wait after a scale-in before the next one (slow, so streamed replies are not cut often), e.g. 300."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.scale_in_cooldown >= 0 && var.scale_in_cooldown <= 3600 && floor(var.scale_in_cooldown) == var.scale_in_cooldown
    error_message = "scale_in_cooldown must be a whole number of seconds from 0 to 3600, e.g. 300."
  }
}

variable "scale_out_cooldown" {
  description = "Seconds to wait after a scale-out before the next one, e.g. 60."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.scale_out_cooldown >= 0 && var.scale_out_cooldown <= 3600 && floor(var.scale_out_cooldown) == var.scale_out_cooldown
    error_message = "scale_out_cooldown must be a whole number of seconds from 0 to 3600, e.g. 60."
  }
}
