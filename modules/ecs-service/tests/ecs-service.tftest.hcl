# Plan-time tests with the real AWS provider, offline: aws_iam_policy_document renders the roles' policies
# locally, the one data source that would call AWS (the caller's account) is overridden, and so is the log key's
# module (modules/kms-key tests its key policy). Nothing is created and no credentials are needed.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
  }
}

override_module {
  target = module.kms_key
  outputs = {
    key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

# A role's ID (its name) and ARN are known only once it exists; its policies and the task definition name it by
# them (an overridden resource's other computed values are random, so ARNs that others validate are given).
override_resource {
  target = aws_iam_role.execution
  values = {
    id  = "fas-test-backend-execution"
    arn = "arn:aws:iam::123456789012:role/fas-test-backend-execution"
  }
}

override_resource {
  target = aws_iam_role.task
  values = {
    id  = "fas-test-backend-task"
    arn = "arn:aws:iam::123456789012:role/fas-test-backend-task"
  }
}

variables {
  name                       = "fas-test"
  service                    = "backend"
  image                      = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-backend@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  container_port             = 4000
  cluster_arn                = "arn:aws:ecs:us-east-1:123456789012:cluster/fas-test"
  cluster_name               = "fas-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  vpc_cidr_block             = "10.20.0.0/16"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  allowed_security_group_ids = ["sg-0aaaaaaaaaaaaaaaa"]
  environment = {
    OPENAI_SECRET_ID = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"
  }
}

run "the_service_owns_its_two_roles" {
  command = plan

  assert {
    condition     = aws_iam_role.execution.name == "fas-test-backend-execution" && aws_iam_role.task.name == "fas-test-backend-task"
    error_message = "the service's roles are \"<name>-<service>-execution\" and \"<name>-<service>-task\""
  }
  assert {
    condition     = length(aws_iam_role_policy.task) == 0 && length(aws_iam_role_policy.exec) == 0
    error_message = "without task_role_statements (and ECS Exec off) the app gets no AWS permissions"
  }
  assert {
    condition     = aws_iam_role_policy.execution.role == aws_iam_role.execution.id
    error_message = "the execution policy belongs to the execution role"
  }
  assert {
    condition = jsondecode(data.aws_iam_policy_document.ecs_tasks_trust.json).Statement[0].Condition == {
      StringEquals = { "aws:SourceAccount" = "123456789012" }
      ArnLike      = { "aws:SourceArn" = "arn:aws:ecs:us-east-1:123456789012:*" }
    }
    error_message = "the roles' trust policy needs the confused-deputy conditions"
  }
  assert {
    condition = (
      jsondecode(aws_iam_role.execution.assume_role_policy) == jsondecode(data.aws_iam_policy_document.ecs_tasks_trust.json) &&
      jsondecode(aws_iam_role.task.assume_role_policy) == jsondecode(data.aws_iam_policy_document.ecs_tasks_trust.json)
    )
    error_message = "both roles trust only ECS tasks of this account"
  }
  assert {
    condition     = aws_iam_role.execution.permissions_boundary == null && aws_iam_role.task.permissions_boundary == null
    error_message = "without permissions_boundary_arn the roles have no boundary"
  }
}

run "the_roles_carry_the_given_permissions_boundary" {
  command = plan

  variables {
    permissions_boundary_arn = "arn:aws:iam::123456789012:policy/fas-test-ci-boundary"
  }

  assert {
    condition     = aws_iam_role.execution.permissions_boundary == var.permissions_boundary_arn && aws_iam_role.task.permissions_boundary == var.permissions_boundary_arn
    error_message = "both roles carry the boundary the CI deploy role requires (modules/ci-roles)"
  }
}

run "execution_role_pulls_its_repository_and_writes_its_log_group" {
  command = plan

  variables {
    repository_arns = ["arn:aws:ecr:us-east-1:123456789012:repository/fas-test-backend"]
  }

  assert {
    condition     = flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "PullTheImage"]) == ["arn:aws:ecr:us-east-1:123456789012:repository/fas-test-backend"]
    error_message = "pulls must be limited to the given repositories"
  }
  assert {
    condition     = flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "WriteTheLogs"]) == ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/backend:log-stream:*"]
    error_message = "log writes must be limited to the service's own log group"
  }
  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement :
    s.Resource != "*" || flatten([s.Action]) == ["ecr:GetAuthorizationToken"]])
    error_message = "only ecr:GetAuthorizationToken may use resource \"*\" in the execution role"
  }
  assert {
    condition     = !strcontains(data.aws_iam_policy_document.execution.json, "secretsmanager")
    error_message = "without injected secrets the execution role reads none (the app fetches its key itself)"
  }
}

run "injected_secrets" {
  command = plan

  variables {
    secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" }]
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].secrets[0].name == "DB_PASSWORD"
    error_message = "secrets must be passed with valueFrom"
  }
  assert {
    condition     = flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "ReadTheInjectedSecrets"]) == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"]
    error_message = "ECS injects secrets with the execution role: it may read exactly those"
  }
}

run "injected_secrets_with_a_customer_key" {
  command = plan

  variables {
    secrets              = [{ name = "SESSION_SECRET", valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/session-secret-AbCdEf" }]
    secrets_kms_key_arns = ["arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"]
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s if s.Sid == "DecryptTheInjectedSecretsThroughSecretsManager"] == [{
      Sid      = "DecryptTheInjectedSecretsThroughSecretsManager"
      Effect   = "Allow"
      Action   = "kms:Decrypt"
      Resource = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"
      Condition = {
        StringEquals = {
          "kms:ViaService"                  = "secretsmanager.us-east-1.amazonaws.com"
          "kms:EncryptionContext:SecretARN" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/session-secret-AbCdEf"
        }
      }
    }]
    error_message = "the execution role may decrypt the secrets' key only through Secrets Manager and only for the injected secrets"
  }
}

run "rejects_secret_keys_without_secrets" {
  command = plan

  variables {
    secrets_kms_key_arns = ["arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"]
  }

  expect_failures = [var.secrets_kms_key_arns]
}

run "task_role_gets_exactly_the_given_statements_and_ecs_exec_its_channels" {
  command = plan

  variables {
    enable_execute_command   = true
    readonly_root_filesystem = false
    exec_audit = {
      log_group_arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/exec-audit"
      kms_key_arn   = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    }
    task_role_statements = [
      {
        sid       = "ReadTheOpenAiKey"
        actions   = ["secretsmanager:GetSecretValue"]
        resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"]
      },
      {
        sid       = "DecryptTheOpenAiKeyThroughSecretsManager"
        actions   = ["kms:Decrypt"]
        resources = ["arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"]
        conditions = [
          { test = "StringEquals", variable = "kms:ViaService", values = ["secretsmanager.us-east-1.amazonaws.com"] },
          { test = "StringEquals", variable = "kms:EncryptionContext:SecretARN", values = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"] },
        ]
      },
    ]
  }

  assert {
    condition     = length(aws_iam_role_policy.task) == 1 && aws_iam_role_policy.task[0].role == aws_iam_role.task.id
    error_message = "task_role_statements become the task role's policy"
  }
  assert {
    condition     = length(aws_iam_role_policy.exec) == 1 && aws_iam_role_policy.exec[0].role == aws_iam_role.task.id
    error_message = "ECS Exec needs the SSM channel policy on the task role"
  }
  assert {
    condition = { for s in jsondecode(data.aws_iam_policy_document.exec.json).Statement : s.Sid => s.Resource if s.Sid != "EcsExecSessions" } == {
      RecordTheSessionsInTheAuditLog = ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/exec-audit:log-stream:*", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/exec-audit"]
      FindTheAuditLogGroup           = "arn:aws:logs:us-east-1:123456789012:log-group:*"
      DecryptTheSessions             = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    }
    error_message = "the task role may write exactly the cluster's Exec audit log and decrypt exactly the sessions' key"
  }
  assert {
    condition = jsondecode(data.aws_iam_policy_document.task[0].json).Statement == [
      {
        Sid      = "ReadTheOpenAiKey"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"
      },
      {
        Sid      = "DecryptTheOpenAiKeyThroughSecretsManager"
        Effect   = "Allow"
        Action   = "kms:Decrypt"
        Resource = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
        Condition = {
          StringEquals = {
            "kms:ViaService"                  = "secretsmanager.us-east-1.amazonaws.com"
            "kms:EncryptionContext:SecretARN" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/openai-api-key-AbCdEf"
          }
        }
      },
    ]
    error_message = "the task role's policy must be exactly the given statements, each rendered as given with its conditions, and nothing beyond them"
  }
  assert {
    condition = alltrue([
      for doc in [data.aws_iam_policy_document.execution.json, data.aws_iam_policy_document.task[0].json, data.aws_iam_policy_document.exec.json] :
      alltrue([for s in jsondecode(doc).Statement : alltrue([for a in flatten([s.Action]) : a != "*" && !endswith(a, ":*")])])
    ])
    error_message = "no policy may grant \"*\" or \"service:*\""
  }
}

run "hardened_task_definition" {
  command = plan

  assert {
    condition = (
      aws_ecs_task_definition.this.network_mode == "awsvpc" &&
      aws_ecs_task_definition.this.requires_compatibilities == toset(["FARGATE"]) &&
      aws_ecs_task_definition.this.cpu == "256" && aws_ecs_task_definition.this.memory == "512" &&
      one(aws_ecs_task_definition.this.runtime_platform).cpu_architecture == "X86_64"
    )
    error_message = "the task definition must be a Fargate awsvpc task with the given size and architecture"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].readonlyRootFilesystem == true
    error_message = "the root filesystem must be read-only"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].user == "1000:1000"
    error_message = "the container must run as a non-root user"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].mountPoints[0].containerPath == "/tmp" && one(aws_ecs_task_definition.this.volume).name == "tmp"
    error_message = "/tmp must be a writable task volume"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].stopTimeout == 30
    error_message = "stopTimeout must default to 30 s"
  }
  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.logDriver == "awslogs" &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/fas-test/backend"
    )
    error_message = "the container must log to its own log group"
  }
  assert {
    condition     = contains(jsondecode(aws_ecs_task_definition.this.container_definitions)[0].environment, { name = "PORT", value = "4000" })
    error_message = "PORT must be passed to the container"
  }
  assert {
    condition     = strcontains(join(" ", jsondecode(aws_ecs_task_definition.this.container_definitions)[0].healthCheck.command), "http://127.0.0.1:4000/healthz")
    error_message = "the container health check must probe /healthz on the container port"
  }
  assert {
    condition     = !contains(keys(jsondecode(aws_ecs_task_definition.this.container_definitions)[0]), "secrets")
    error_message = "no secrets block without secrets"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].image == var.image
    error_message = "the image must be used exactly as given (by digest)"
  }
}

run "private_service_with_discovery_and_rollback" {
  command = plan

  variables {
    service_discovery_namespace_id   = "ns-0123456789abcdef"
    service_discovery_namespace_name = "test.fargate-ai-stack.local"
    deployment_alarm_services        = ["frontend"]
    deployment_alarm_names           = ["ops-error-budget"]
    capacity_provider_strategy       = [{ capacity_provider = "FARGATE_SPOT", weight = 1 }]
  }

  assert {
    condition = (
      one(aws_ecs_service.this.network_configuration).assign_public_ip == false &&
      one(aws_ecs_service.this.network_configuration).subnets == toset(var.subnet_ids)
    )
    error_message = "tasks must run in the given private subnets without public IPs"
  }
  assert {
    condition     = length(aws_ecs_service.this.load_balancer) == 0 && length(aws_ecs_service.this.service_registries) == 1
    error_message = "without a target group there is no load balancer; with a namespace the service registers in Cloud Map"
  }
  assert {
    condition = (
      one(one(aws_service_discovery_service.this[0].dns_config).dns_records).type == "A" &&
      one(aws_service_discovery_service.this[0].dns_config).routing_policy == "MULTIVALUE" &&
      aws_service_discovery_service.this[0].name == "backend"
    )
    error_message = "Cloud Map registration must be multivalue A records named after the service"
  }
  assert {
    condition     = output.discovery_name == "backend.test.fargate-ai-stack.local"
    error_message = "discovery_name must be <service>.<namespace>"
  }
  assert {
    condition     = one(aws_ecs_service.this.deployment_circuit_breaker).enable && one(aws_ecs_service.this.deployment_circuit_breaker).rollback
    error_message = "the circuit breaker must roll failed deployments back"
  }
  assert {
    condition     = one(aws_ecs_service.this.alarms).alarm_names == toset(["fas-test-frontend-5xx-rate", "ops-error-budget"]) && one(aws_ecs_service.this.alarms).rollback && one(aws_ecs_service.this.alarms).enable
    error_message = "deployment alarms (the 5xx rate of the services it serves, and the given ones) must roll back"
  }
  assert {
    condition     = tolist(output.deployment_alarm_names) == tolist(["fas-test-frontend-5xx-rate", "ops-error-budget"])
    error_message = "deployment_alarm_names lists the alarms that roll the service back"
  }
  assert {
    condition = (
      toset(keys(aws_cloudwatch_metric_alarm.utilisation)) == toset(["cpu-high", "memory-high"]) &&
      length(aws_cloudwatch_metric_alarm.http_5xx_rate) == 0 && length(aws_cloudwatch_metric_alarm.unhealthy_targets) == 0 &&
      tolist(output.alarm_names) == tolist(["fas-test-backend-cpu-high", "fas-test-backend-memory-high"])
    )
    error_message = "a service without a load balancer has CPU and memory alarms only"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.utilisation["cpu-high"].dimensions == tomap({ ClusterName = "fas-test", ServiceName = "fas-test-backend" }) &&
      aws_cloudwatch_metric_alarm.utilisation["cpu-high"].metric_name == "CPUUtilization" && aws_cloudwatch_metric_alarm.utilisation["cpu-high"].threshold == 85 &&
      aws_cloudwatch_metric_alarm.utilisation["memory-high"].metric_name == "MemoryUtilization" && aws_cloudwatch_metric_alarm.utilisation["memory-high"].threshold == 85
    )
    error_message = "the CPU and memory alarms must watch this service in its cluster, above 85% by default"
  }
  assert {
    condition     = length(coalesce(aws_cloudwatch_metric_alarm.utilisation["memory-high"].alarm_actions, [])) == 0 && length(coalesce(aws_cloudwatch_metric_alarm.utilisation["memory-high"].ok_actions, [])) == 0
    error_message = "without a topic the alarms notify nobody"
  }
  assert {
    condition     = one(aws_ecs_service.this.capacity_provider_strategy).capacity_provider == "FARGATE_SPOT"
    error_message = "the capacity provider strategy must follow the variable"
  }
  assert {
    condition     = aws_ecs_service.this.name == "fas-test-backend" && aws_ecs_service.this.desired_count == 1
    error_message = "the service is <name>-<service> and starts at min_capacity"
  }
}

run "frontend_behind_the_load_balancer" {
  command = plan

  variables {
    service                           = "frontend"
    container_port                    = 3000
    target_group_arn                  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fas-test-frontend/0123456789abcdef"
    load_balancer_arn_suffix          = "app/fas-test-alb/0123456789abcdef"
    health_check_grace_period_seconds = 30
    egress_vpc_ports                  = [4000]
    callee_security_groups            = [{ security_group_id = "sg-0bbbbbbbbbbbbbbbb", port = 4000 }]
    environment                       = { BACKEND_URL = "http://backend.test.fargate-ai-stack.local:4000" }
    alarm_topic_arn                   = "arn:aws:sns:us-east-1:123456789012:fas-test-alarms"
  }

  assert {
    condition = (
      one(aws_ecs_service.this.load_balancer).container_name == "frontend" &&
      one(aws_ecs_service.this.load_balancer).container_port == 3000 &&
      aws_ecs_service.this.health_check_grace_period_seconds == 30
    )
    error_message = "the frontend must register its container port in the target group"
  }
  assert {
    condition     = length(aws_service_discovery_service.this) == 0 && output.discovery_name == null
    error_message = "no Cloud Map registration without a namespace"
  }
  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.from_sources["0"].referenced_security_group_id == "sg-0aaaaaaaaaaaaaaaa" &&
      aws_vpc_security_group_ingress_rule.from_sources["0"].from_port == 3000 &&
      aws_vpc_security_group_ingress_rule.from_sources["0"].to_port == 3000 &&
      length(aws_vpc_security_group_ingress_rule.from_sources) == 1
    )
    error_message = "ingress must come only from the allowed group, on the container port"
  }
  assert {
    condition = (
      aws_vpc_security_group_egress_rule.to_vpc["4000"].cidr_ipv4 == "10.20.0.0/16" &&
      aws_vpc_security_group_egress_rule.https[0].to_port == 443 && aws_vpc_security_group_egress_rule.https[0].cidr_ipv4 == "0.0.0.0/0" &&
      length(aws_vpc_security_group_egress_rule.to_endpoints) == 0 && length(aws_vpc_security_group_egress_rule.to_s3) == 0
    )
    error_message = "egress must be 443 anywhere (internet_egress defaults to true) plus the given ports inside the VPC"
  }
  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.to_callees["0"].security_group_id == "sg-0bbbbbbbbbbbbbbbb" &&
      aws_vpc_security_group_ingress_rule.to_callees["0"].from_port == 4000 &&
      aws_vpc_security_group_ingress_rule.to_callees["0"].to_port == 4000 &&
      aws_vpc_security_group_ingress_rule.to_callees["0"].ip_protocol == "tcp" &&
      aws_vpc_security_group_ingress_rule.to_callees["0"].cidr_ipv4 == null &&
      length(aws_vpc_security_group_ingress_rule.to_callees) == 1
    )
    error_message = "the called service's group must admit this service's tasks on its port, and nothing else"
  }
  assert {
    condition = (
      tolist(output.deployment_alarm_names) == tolist(["fas-test-frontend-5xx-rate", "fas-test-frontend-unhealthy-targets"]) &&
      one(aws_ecs_service.this.alarms).alarm_names == toset(output.deployment_alarm_names) && one(aws_ecs_service.this.alarms).rollback
    )
    error_message = "behind a load balancer the 5xx rate and unhealthy targets roll deployments back (CPU and memory do not)"
  }
  assert {
    condition     = toset(output.alarm_names) == toset(["fas-test-frontend-5xx-rate", "fas-test-frontend-unhealthy-targets", "fas-test-frontend-cpu-high", "fas-test-frontend-memory-high"])
    error_message = "the service's alarms are named \"<name>-<service>-<kind>\""
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.unhealthy_targets[0].dimensions == tomap({ TargetGroup = "targetgroup/fas-test-frontend/0123456789abcdef", LoadBalancer = "app/fas-test-alb/0123456789abcdef" }) && aws_cloudwatch_metric_alarm.unhealthy_targets[0].metric_name == "UnHealthyHostCount"
    error_message = "the unhealthy-targets alarm must watch the service's target group"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.http_5xx_rate[0].threshold == 5 &&
      one([for q in aws_cloudwatch_metric_alarm.http_5xx_rate[0].metric_query : q if q.return_data == true]).id == "rate" &&
      one([for q in aws_cloudwatch_metric_alarm.http_5xx_rate[0].metric_query : q if q.id == "requests"]).metric[0].dimensions.TargetGroup == "targetgroup/fas-test-frontend/0123456789abcdef"
    )
    error_message = "the 5xx-rate alarm must evaluate the rate expression over the service's requests, above 5% by default"
  }
  assert {
    condition = alltrue([for alarm in concat(values(aws_cloudwatch_metric_alarm.utilisation), aws_cloudwatch_metric_alarm.http_5xx_rate, aws_cloudwatch_metric_alarm.unhealthy_targets) :
      alarm.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:fas-test-alarms"]) && alarm.ok_actions == toset(["arn:aws:sns:us-east-1:123456789012:fas-test-alarms"])
    ])
    error_message = "every alarm must notify the topic"
  }
}

run "no_internet_egress_only_the_vpc_endpoints" {
  command = plan

  variables {
    service                    = "frontend"
    container_port             = 3000
    egress_vpc_ports           = [4000]
    internet_egress            = false
    endpoint_security_group_id = "sg-0cccccccccccccccc"
    s3_prefix_list_id          = "pl-63a5400a"
  }

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.https) == 0
    error_message = "without internet_egress the service must have no 0.0.0.0/0 rule"
  }
  assert {
    condition = (
      aws_vpc_security_group_egress_rule.to_endpoints[0].referenced_security_group_id == "sg-0cccccccccccccccc" &&
      aws_vpc_security_group_egress_rule.to_endpoints[0].from_port == 443 && aws_vpc_security_group_egress_rule.to_endpoints[0].to_port == 443 &&
      aws_vpc_security_group_egress_rule.to_endpoints[0].ip_protocol == "tcp" && aws_vpc_security_group_egress_rule.to_endpoints[0].cidr_ipv4 == null
    )
    error_message = "the tasks must reach the interface endpoints' group on 443 only"
  }
  assert {
    condition = (
      aws_vpc_security_group_egress_rule.to_s3[0].prefix_list_id == "pl-63a5400a" &&
      aws_vpc_security_group_egress_rule.to_s3[0].from_port == 443 && aws_vpc_security_group_egress_rule.to_s3[0].to_port == 443 &&
      aws_vpc_security_group_egress_rule.to_s3[0].cidr_ipv4 == null
    )
    error_message = "the tasks must reach S3 (image layers) through the gateway's prefix list on 443 only"
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.to_vpc["4000"].cidr_ipv4 == "10.20.0.0/16" && length(aws_vpc_security_group_egress_rule.to_vpc) == 1
    error_message = "the VPC ports stay as given"
  }
}

run "internet_egress_with_the_vpc_endpoints" {
  command = plan

  variables {
    endpoint_security_group_id = "sg-0cccccccccccccccc"
    s3_prefix_list_id          = "pl-63a5400a"
  }

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.https[0].cidr_ipv4 == "0.0.0.0/0" && aws_vpc_security_group_egress_rule.https[0].from_port == 443 &&
      length(aws_vpc_security_group_egress_rule.to_endpoints) == 1 && length(aws_vpc_security_group_egress_rule.to_s3) == 1
    )
    error_message = "with internet egress and endpoints the service gets 443 anywhere and the endpoint rules"
  }
}

run "rejects_no_internet_egress_without_the_endpoints" {
  command = plan

  variables {
    internet_egress            = false
    endpoint_security_group_id = "sg-0cccccccccccccccc"
  }

  expect_failures = [aws_security_group.this]
}

run "autoscaling_and_logs" {
  command = plan

  variables {
    min_capacity       = 2
    max_capacity       = 10
    log_retention_days = 90
  }

  assert {
    condition     = aws_appautoscaling_target.this.min_capacity == 2 && aws_appautoscaling_target.this.max_capacity == 10
    error_message = "autoscaling must run between min_capacity and max_capacity"
  }
  assert {
    condition = (
      one(one(aws_appautoscaling_policy.this["cpu"].target_tracking_scaling_policy_configuration).predefined_metric_specification).predefined_metric_type == "ECSServiceAverageCPUUtilization" &&
      one(one(aws_appautoscaling_policy.this["memory"].target_tracking_scaling_policy_configuration).predefined_metric_specification).predefined_metric_type == "ECSServiceAverageMemoryUtilization"
    )
    error_message = "there must be target tracking on CPU and on memory"
  }
  assert {
    condition     = aws_appautoscaling_policy.this["cpu"].name == "fas-test-backend-cpu" && aws_appautoscaling_policy.this["memory"].name == "fas-test-backend-memory"
    error_message = "the policies are \"<name>-<service>-cpu\" and \"<name>-<service>-memory\""
  }
  assert {
    condition     = aws_appautoscaling_target.this.resource_id == "service/fas-test/fas-test-backend"
    error_message = "the scalable target must address the service"
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.retention_in_days == 90 && length(module.kms_key) == 1 && aws_cloudwatch_log_group.this.kms_key_id == module.kms_key[0].key_arn
    error_message = "the log group must keep logs as long as asked and be encrypted with the rotating customer key"
  }
}

run "logs_with_a_given_group_name_and_key" {
  command = plan

  variables {
    log_group_name = "/ecs/fas-test/backend-shared"
    kms_key_arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = length(module.kms_key) == 0 && aws_cloudwatch_log_group.this.kms_key_id == "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111" && output.log_kms_key_arn == var.kms_key_arn
    error_message = "a given key encrypts the logs and the module makes none"
  }
  assert {
    condition = (
      aws_cloudwatch_log_group.this.name == "/ecs/fas-test/backend-shared" &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/fas-test/backend-shared" &&
      flatten([for s in jsondecode(data.aws_iam_policy_document.execution.json).Statement : s.Resource if s.Sid == "WriteTheLogs"]) == ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/backend-shared:log-stream:*"]
    )
    error_message = "the given log group name is the group's, the container's and the execution role's only log target"
  }
}

run "rejects_memory_fargate_does_not_offer_for_the_cpu" {
  command = plan

  variables {
    cpu    = 256
    memory = 4096
  }

  expect_failures = [aws_ecs_task_definition.this]
}

run "rejects_max_below_min" {
  command = plan

  variables {
    min_capacity = 3
    max_capacity = 2
  }

  expect_failures = [aws_appautoscaling_target.this]
}

run "rejects_ecs_exec_with_a_read_only_root" {
  command = plan

  variables {
    enable_execute_command = true
    exec_audit = {
      log_group_arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/fas-test/exec-audit"
      kms_key_arn   = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    }
  }

  expect_failures = [aws_ecs_task_definition.this]
}

run "rejects_ecs_exec_without_its_audit_log" {
  command = plan

  variables {
    enable_execute_command   = true
    readonly_root_filesystem = false
  }

  expect_failures = [aws_ecs_task_definition.this]
}

run "rejects_a_namespace_id_without_its_name" {
  command = plan

  variables {
    service_discovery_namespace_id = "ns-0123456789abcdef"
  }

  expect_failures = [aws_service_discovery_service.this]
}

run "rejects_a_load_balancer_without_its_arn_suffix" {
  command = plan

  variables {
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fas-test-frontend/0123456789abcdef"
  }

  expect_failures = [aws_cloudwatch_metric_alarm.http_5xx_rate, aws_cloudwatch_metric_alarm.unhealthy_targets]
}

run "rejects_a_grace_period_without_a_load_balancer" {
  command = plan

  variables {
    health_check_grace_period_seconds = 60
  }

  expect_failures = [aws_ecs_service.this]
}

# Every input below refuses its bad value by its own validation: OpenTofu checks them all, and the run fails if
# any listed input lets its value through.
run "rejects_bad_inputs" {
  command = plan

  variables {
    # An image by tag instead of by digest.
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-backend:latest"
    # A privileged port (the container runs as user 1000).
    container_port = 80
    # A cpu size Fargate does not offer.
    cpu = 300
    # A credential in the plain environment.
    environment = { OPENAI_API_KEY = "sk-not-here" }
    # A secret that is not an ARN.
    secrets = [{ name = "DB_PASSWORD", valueFrom = "hunter2" }]
    # A wildcard repository and a wildcard task action.
    repository_arns      = ["*"]
    task_role_statements = [{ sid = "TooBroad", actions = ["s3:*"], resources = ["*"] }]
    # "SPOT" for "FARGATE_SPOT".
    capacity_provider_strategy = [{ capacity_provider = "SPOT", weight = 1 }]
    # A topic name instead of its ARN, a percentage above 100, a called group by name.
    alarm_topic_arn            = "fas-test-alarms"
    cpu_high_threshold_percent = 150
    callee_security_groups     = [{ security_group_id = "backend", port = 4000 }]
    # The load balancer's full ARN instead of its suffix.
    load_balancer_arn_suffix = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fas-test-alb/0123456789abcdef"
    # The endpoints' group by name, the S3 service name instead of its prefix list.
    endpoint_security_group_id = "vpc-endpoints"
    s3_prefix_list_id          = "com.amazonaws.us-east-1.s3"
    # A policy name instead of its ARN.
    permissions_boundary_arn = "fas-test-ci-boundary"
  }

  expect_failures = [
    var.image, var.container_port, var.cpu, var.environment, var.secrets, var.repository_arns, var.task_role_statements,
    var.capacity_provider_strategy, var.alarm_topic_arn, var.cpu_high_threshold_percent, var.callee_security_groups,
    var.load_balancer_arn_suffix, var.endpoint_security_group_id, var.s3_prefix_list_id, var.permissions_boundary_arn,
  ]
}
