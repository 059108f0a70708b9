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
  }

  expect_failures = [var.vpc_id, var.namespace_name, var.default_capacity_provider_strategy, var.container_insights]
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
