# The service's own security group: in only from the given source groups on the container port; out to HTTPS
# anywhere (image pulls, logs, AWS APIs, OpenAI — through NAT) and to the VPC on the given ports. The groups of the
# services it calls get an ingress rule from it here, so they need not apply after it.

resource "aws_security_group" "this" {
  name        = "${var.name}-${var.service}"
  description = "Tasks of ${var.name}-${var.service}"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-${var.service}" })

  lifecycle {
    create_before_destroy = true
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

# Why: the tasks reach ECR, CloudWatch Logs, Secrets Manager and (backend) the OpenAI API over HTTPS through
# the NAT gateway; those endpoints have no fixed addresses. Only port 443 is open.
#tfsec:ignore:aws-ec2-no-public-egress-sgr
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs, ECR and external APIs via NAT"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = merge(var.tags, { Name = "${var.name}-${var.service}-out-https" })
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
