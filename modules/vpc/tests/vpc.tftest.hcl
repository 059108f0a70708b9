# Plan-time tests with a mocked AWS provider: no credentials or emulator needed. The key module is overridden
# (the key and its policy are tested once, in modules/kms-key).

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["us-east-1a", "us-east-1b", "us-east-1c"]
    }
  }
  # The provider checks these at plan time, mocked or not: JSON in the role's trust policy, ARNs in the flow log.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{}"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/fas-test/flow-logs"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/fas-test-flow-logs"
    }
  }
}

override_module {
  target = module.kms_key
  outputs = {
    key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

variables {
  name       = "fas-test"
  cidr_block = "10.20.0.0/16"
}

run "single_nat_spreads_two_zones" {
  command = plan

  assert {
    condition     = length(aws_subnet.public) == 2 && length(aws_subnet.private) == 2
    error_message = "expected one public and one private subnet in each of two zones"
  }
  assert {
    condition     = length(aws_nat_gateway.this) == 1
    error_message = "the single strategy must create exactly one NAT gateway"
  }
  assert {
    condition     = alltrue([for r in aws_route.private_nat : r.destination_cidr_block == "0.0.0.0/0"])
    error_message = "every private route table needs a default route through NAT"
  }
  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "public subnets must not hand out public IPs automatically"
  }
  assert {
    condition     = aws_subnet.private[0].cidr_block == "10.20.128.0/20" && aws_subnet.public[1].cidr_block == "10.20.16.0/20"
    error_message = "subnet CIDRs are not carved as documented"
  }
  assert {
    condition     = aws_vpc.this.enable_dns_hostnames && aws_vpc.this.enable_dns_support
    error_message = "Cloud Map private DNS needs DNS support and hostnames on the VPC"
  }
}

run "one_nat_per_zone" {
  command = plan

  variables {
    az_count             = 3
    nat_gateway_strategy = "one_per_az"
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_route_table.private) == 3
    error_message = "one_per_az must create a NAT gateway and a private route table in each zone"
  }
}

run "flow_logs_are_encrypted_and_kept" {
  command = plan

  variables {
    flow_logs_retention_days = 7
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.retention_in_days == 7
    error_message = "flow log retention must follow the variable"
  }
  assert {
    condition     = length(module.kms_key) == 1 && aws_cloudwatch_log_group.flow_logs.kms_key_id == module.kms_key[0].key_arn
    error_message = "the flow logs must be encrypted with the module's own key (modules/kms-key: rotation on)"
  }
  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL"
    error_message = "flow logs must record all traffic by default"
  }
  assert {
    condition     = aws_iam_role.flow_logs.permissions_boundary == null
    error_message = "without permissions_boundary_arn the flow-log role has no boundary"
  }
}

run "the_flow_log_role_carries_the_given_permissions_boundary" {
  command = plan

  variables {
    permissions_boundary_arn = "arn:aws:iam::123456789012:policy/fas-test-ci-boundary"
  }

  assert {
    condition     = aws_iam_role.flow_logs.permissions_boundary == var.permissions_boundary_arn
    error_message = "the flow-log role carries the boundary the CI deploy role requires (modules/ci-roles)"
  }
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    name                     = "Bad_Name"             # not lowercase
    cidr_block               = "10.20.0.0/8"          # wider than /16
    az_count                 = 1                      # too few zones for a load balancer
    nat_gateway_strategy     = "none"                 # no such strategy
    permissions_boundary_arn = "fas-test-ci-boundary" # a name, not a policy ARN
  }

  expect_failures = [var.name, var.cidr_block, var.az_count, var.nat_gateway_strategy, var.permissions_boundary_arn]
}

