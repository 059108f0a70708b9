# Plan-time tests with a mocked AWS provider: no credentials or emulator needed.

mock_provider "aws" {
  # The logs key's policy must be JSON when the key is "created" (apply runs).
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{}"
    }
  }
}

variables {
  name           = "fas-test"
  vpc_id         = "vpc-0123456789abcdef0"
  namespace_name = "test.fargate-ai-stack.local"
}

run "cluster_with_insights_and_fargate_providers" {
  command = plan

  assert {
    condition     = aws_ecs_cluster.this.name == "fas-test"
    error_message = "the cluster must be named after var.name"
  }
  assert {
    condition     = one([for s in aws_ecs_cluster.this.setting : s.value if s.name == "containerInsights"]) == "enabled"
    error_message = "Container Insights must be on"
  }
  assert {
    condition     = toset(aws_ecs_cluster_capacity_providers.this.capacity_providers) == toset(["FARGATE", "FARGATE_SPOT"])
    error_message = "both Fargate capacity providers must be associated"
  }
  assert {
    condition     = aws_service_discovery_private_dns_namespace.this.name == "test.fargate-ai-stack.local" && aws_service_discovery_private_dns_namespace.this.vpc == "vpc-0123456789abcdef0"
    error_message = "the private DNS namespace must have the given name and live in the given VPC"
  }
}

run "spot_default_strategy" {
  command = plan

  variables {
    default_capacity_provider_strategy = [{ capacity_provider = "FARGATE_SPOT", weight = 1 }]
  }

  assert {
    condition = (
      length(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy) == 1 &&
      one(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy).capacity_provider == "FARGATE_SPOT" &&
      one(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy).base == 0
    )
    error_message = "the default strategy must follow the variable (base defaults to 0)"
  }
}

run "mixed_strategy_with_an_on_demand_base" {
  command = plan

  variables {
    default_capacity_provider_strategy = [
      { capacity_provider = "FARGATE", weight = 1, base = 2 },
      { capacity_provider = "FARGATE_SPOT", weight = 3 },
    ]
  }

  assert {
    condition     = length(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy) == 2
    error_message = "both strategy entries must be passed on"
  }
}

run "rejects_two_bases" {
  command = plan

  variables {
    default_capacity_provider_strategy = [
      { capacity_provider = "FARGATE", weight = 1, base = 1 },
      { capacity_provider = "FARGATE_SPOT", weight = 1, base = 1 },
    ]
  }

  expect_failures = [var.default_capacity_provider_strategy]
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    vpc_id                             = "my-vpc"                                       # not a VPC ID
    namespace_name                     = "Not A Domain"                                 # not a domain
    default_capacity_provider_strategy = [{ capacity_provider = "my-asg", weight = 1 }] # not Fargate
    container_insights                 = "disabled"                                     # insights off
    exec_audit_retention_days          = 10                                             # not a CloudWatch value
  }

  expect_failures = [var.vpc_id, var.namespace_name, var.default_capacity_provider_strategy, var.container_insights, var.exec_audit_retention_days]
}


run "no_logs_key_by_default" {
  command = plan

  assert {
    condition     = length(module.logs_kms_key) == 0 && output.logs_kms_key_arn == "" && length(output.log_group_names) == 0
    error_message = "without service_log_groups there is no logs key"
  }
}

run "one_logs_key_for_the_services_log_groups" {
  command = apply

  variables {
    service_log_groups = ["frontend", "backend"]
  }

  assert {
    condition     = length(output.log_group_names) == 2 && output.log_group_names["frontend"] == "/ecs/fas-test/frontend" && output.log_group_names["backend"] == "/ecs/fas-test/backend"
    error_message = "each service's log group is /ecs/<name>/<service>"
  }
  assert {
    condition     = length(module.logs_kms_key) == 1 && output.logs_kms_key_arn == module.logs_kms_key[0].key_arn && output.logs_kms_key_arn != ""
    error_message = "one key for the services' logs, given as logs_kms_key_arn"
  }
}

run "no_exec_audit_unless_asked" {
  command = plan

  assert {
    condition     = length(aws_ecs_cluster.this.configuration) == 0 && length(aws_cloudwatch_log_group.exec_audit) == 0 && output.exec_audit.log_group_arn == ""
    error_message = "without exec_audit_logging the cluster has no Exec configuration and no audit log"
  }
}

run "exec_audit_records_every_session_encrypted" {
  command = apply

  variables {
    service_log_groups = ["backend"]
    exec_audit_logging = true
  }

  assert {
    condition     = aws_cloudwatch_log_group.exec_audit[0].name == "/ecs/fas-test/exec-audit" && aws_cloudwatch_log_group.exec_audit[0].retention_in_days == 365 && aws_cloudwatch_log_group.exec_audit[0].kms_key_id == output.logs_kms_key_arn
    error_message = "the audit log is /ecs/<name>/exec-audit, kept a year, encrypted with the logs key"
  }
  assert {
    condition = alltrue([for c in aws_ecs_cluster.this.configuration : alltrue([for e in c.execute_command_configuration :
      e.logging == "OVERRIDE" && e.kms_key_id == output.logs_kms_key_arn && alltrue([for l in e.log_configuration :
    l.cloud_watch_encryption_enabled && l.cloud_watch_log_group_name == "/ecs/fas-test/exec-audit"])])]) && length(aws_ecs_cluster.this.configuration) == 1
    error_message = "Exec sessions must be encrypted with the logs key and logged, encrypted, to the audit group"
  }
  assert {
    condition     = output.exec_audit.log_group_arn == aws_cloudwatch_log_group.exec_audit[0].arn && output.exec_audit.kms_key_arn == output.logs_kms_key_arn
    error_message = "exec_audit gives services the audit group and the sessions' key"
  }
}

run "exec_audit_makes_the_logs_key_even_without_service_log_groups" {
  command = plan

  variables {
    exec_audit_logging = true
  }

  assert {
    condition     = length(module.logs_kms_key) == 1
    error_message = "the audit log and the sessions need a key even when each service makes its own logs key"
  }
}
