# Plan-time tests with a mocked AWS provider: no credentials or emulator needed. The key module is overridden
# (the key and its policy are tested once, in modules/kms-key).

mock_provider "aws" {
  # Endpoint service names and the ECR layer bucket are built from the region and partition.
  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
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


run "no_endpoints_by_default" {
  command = plan

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 0 && length(aws_vpc_endpoint.s3) == 0 && length(aws_security_group.endpoints) == 0
    error_message = "without vpc_endpoints the module must create no endpoint and no endpoint security group"
  }
  assert {
    condition     = output.vpc_endpoints_security_group_id == "" && output.s3_prefix_list_id == "" && output.vpc_endpoint_ids == {}
    error_message = "without vpc_endpoints the endpoint outputs must be empty"
  }
}

run "endpoints_keep_aws_traffic_off_the_nat" {
  command = plan

  variables {
    az_count      = 3
    vpc_endpoints = true
  }

  assert {
    condition     = toset(keys(aws_vpc_endpoint.interface)) == toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms", "sts", "cognito-idp"])
    error_message = "the interface endpoints must be ecr.api, ecr.dkr, logs, secretsmanager, kms, sts and cognito-idp"
  }
  assert {
    condition = alltrue([for svc, ep in aws_vpc_endpoint.interface :
      ep.service_name == "com.amazonaws.us-east-1.${svc}" && ep.vpc_endpoint_type == "Interface" && ep.private_dns_enabled &&
      ep.subnet_ids == toset(aws_subnet.private[*].id) && ep.security_group_ids == toset([aws_security_group.endpoints[0].id])
    ])
    error_message = "each interface endpoint must use private DNS in every private subnet, behind the endpoints' group"
  }
  assert {
    condition = (
      aws_vpc_endpoint.s3[0].service_name == "com.amazonaws.us-east-1.s3" && aws_vpc_endpoint.s3[0].vpc_endpoint_type == "Gateway" &&
      aws_vpc_endpoint.s3[0].route_table_ids == toset(aws_route_table.private[*].id) && length(aws_route_table.private) == 3
    )
    error_message = "the S3 gateway endpoint must be on every private route table"
  }
  assert {
    condition = jsondecode(aws_vpc_endpoint.s3[0].policy).Statement == [{
      Sid       = "PullEcrImageLayers"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"
    }]
    error_message = "the S3 gateway must allow only reads of ECR's image-layer bucket by default"
  }
  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.endpoints_from_vpc[0].from_port == 443 &&
      aws_vpc_security_group_ingress_rule.endpoints_from_vpc[0].to_port == 443 &&
      aws_vpc_security_group_ingress_rule.endpoints_from_vpc[0].ip_protocol == "tcp" &&
      aws_vpc_security_group_ingress_rule.endpoints_from_vpc[0].cidr_ipv4 == "10.20.0.0/16" &&
      length(aws_vpc_security_group_ingress_rule.endpoints_from_groups) == 0
    )
    error_message = "the endpoints' group must admit 443 from the VPC CIDR only"
  }
  assert {
    condition     = output.vpc_endpoints_security_group_id == aws_security_group.endpoints[0].id && output.s3_prefix_list_id == aws_vpc_endpoint.s3[0].prefix_list_id
    error_message = "the outputs must name the endpoints' group and the S3 prefix list"
  }
}

run "endpoints_from_given_groups_and_named_buckets" {
  command = plan

  variables {
    vpc_endpoints                           = true
    vpc_endpoint_allowed_security_group_ids = ["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"]
    vpc_endpoint_s3_bucket_arns             = ["arn:aws:s3:::fas-test-uploads"]
  }

  assert {
    condition = (
      length(aws_vpc_security_group_ingress_rule.endpoints_from_vpc) == 0 &&
      [for r in aws_vpc_security_group_ingress_rule.endpoints_from_groups : r.referenced_security_group_id] == ["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"] &&
      alltrue([for r in aws_vpc_security_group_ingress_rule.endpoints_from_groups : r.from_port == 443 && r.to_port == 443])
    )
    error_message = "with given groups only they may reach the endpoints, on 443, not the whole VPC"
  }
  assert {
    condition     = jsondecode(aws_vpc_endpoint.s3[0].policy).Statement[1].Resource == ["arn:aws:s3:::fas-test-uploads", "arn:aws:s3:::fas-test-uploads/*"]
    error_message = "the named buckets (and their objects) must be allowed through the S3 gateway"
  }
}

run "rejects_invalid_endpoint_inputs" {
  command = plan

  variables {
    vpc_endpoints                           = true
    vpc_endpoint_allowed_security_group_ids = ["default"]        # a name, not an ID
    vpc_endpoint_s3_bucket_arns             = ["arn:aws:s3:::*"] # a wildcard
  }

  expect_failures = [var.vpc_endpoint_allowed_security_group_ids, var.vpc_endpoint_s3_bucket_arns]
}
