# The service's own security group: in only from the given source groups on the container port; out to HTTPS
# anywhere (internet_egress: image pulls, logs, AWS APIs, OpenAI — through NAT), or, without it, only to the VPC
# endpoints' group and the S3 prefix list; and to the VPC on the given ports. The groups of the services it calls
# get an ingress rule from it here, so they need not apply after it.

resource "aws_security_group" "this" {
  name        = "${var.name}-${var.service}"
  description = "Tasks of ${var.name}-${var.service}"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-${var.service}" })

  lifecycle {
    create_before_destroy = true

    # Without internet egress the endpoint rules below are the only way to AWS: an image pull needs ECR's API
    # and registry endpoints and S3 (the layers), the log driver the logs endpoint.
    precondition {
      condition     = var.internet_egress || (var.endpoint_security_group_id != "" && var.s3_prefix_list_id != "")
      error_message = "internet_egress = false needs endpoint_security_group_id and s3_prefix_list_id (the vpc unit's vpc_endpoints_security_group_id and s3_prefix_list_id, with vpc_endpoints on): without them the tasks cannot pull their image or write their logs."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_sources" {
  # Keyed by position so the keys are known at plan time even when the group IDs are not yet.
  for_each = { for i, id in var.allowed_security_group_ids : tostring(i) => id }

  security_group_id            = aws_security_group.this.id
  description                  = "Container port from an allowed source group"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = each.value
  tags                         = merge(var.tags, { Name = "${var.name}-${var.service}-in-${each.key}" })
}

# Why: with internet_egress the tasks reach ECR, CloudWatch Logs, Secrets Manager and (backend) the OpenAI API
# over HTTPS through the NAT gateway; those endpoints have no fixed addresses. Only port 443 is open. Without
# internet_egress there is no 0.0.0.0/0 rule at all.
#tfsec:ignore:aws-ec2-no-public-egress-sgr
resource "aws_vpc_security_group_egress_rule" "https" {
  count = var.internet_egress ? 1 : 0

  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs, ECR and external APIs via NAT"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = merge(var.tags, { Name = "${var.name}-${var.service}-out-https" })
}

# AWS APIs through the VPC's interface endpoints (their private DNS names resolve inside the VPC). Made whenever
# the group is given, with internet egress or not, so turning internet_egress off changes nothing else.
resource "aws_vpc_security_group_egress_rule" "to_endpoints" {
  count = var.endpoint_security_group_id != "" ? 1 : 0

  security_group_id            = aws_security_group.this.id
  description                  = "HTTPS to the VPC's AWS API endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = var.endpoint_security_group_id
  tags                         = merge(var.tags, { Name = "${var.name}-${var.service}-out-endpoints" })
}

# S3 through the gateway endpoint (ECR's image layers): its managed prefix list holds the region's S3 addresses.
resource "aws_vpc_security_group_egress_rule" "to_s3" {
  count = var.s3_prefix_list_id != "" ? 1 : 0

  security_group_id = aws_security_group.this.id
  description       = "HTTPS to S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = var.s3_prefix_list_id
  tags              = merge(var.tags, { Name = "${var.name}-${var.service}-out-s3" })
}

resource "aws_vpc_security_group_egress_rule" "to_vpc" {
  for_each = toset([for port in var.egress_vpc_ports : tostring(port)])

  security_group_id = aws_security_group.this.id
  description       = "To services inside the VPC on port ${each.value}"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  cidr_ipv4         = var.vpc_cidr_block
  tags              = merge(var.tags, { Name = "${var.name}-${var.service}-out-${each.value}" })
}

# Into each called service's group, from this service's tasks only, on that service's port.
resource "aws_vpc_security_group_ingress_rule" "to_callees" {
  # Keyed by position so the keys are known at plan time even when the group IDs are not yet.
  for_each = { for i, callee in var.callee_security_groups : tostring(i) => callee }

  security_group_id            = each.value.security_group_id
  description                  = "Port ${each.value.port} from ${var.name}-${var.service}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = aws_security_group.this.id
  tags                         = merge(var.tags, { Name = "${var.name}-${var.service}-to-${each.key}" })
}
