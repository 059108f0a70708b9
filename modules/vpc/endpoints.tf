# VPC endpoints (var.vpc_endpoints): the private subnets reach the AWS APIs the tasks use without the NAT gateway.
# An S3 gateway endpoint on the private route tables (free; ECR keeps image layers in S3) and interface endpoints
# with private DNS for ECR (API and registry), CloudWatch Logs, Secrets Manager, KMS, STS and the Cognito user
# pools API (the frontend's server signs users in; without it the frontend would need internet egress). Private DNS makes
# the services' usual names resolve to the endpoints' addresses inside the VPC, so the apps and the ECS agent need
# no configuration. The interface endpoints share one security group: 443 in from the VPC (or the given groups).

locals {
  # Service names are "com.amazonaws.<region>.<service>" in every partition that has these services (the
  # aws-cn partition prefixes some with "cn."; this module does not support it).
  endpoint_service_prefix = "com.amazonaws.${data.aws_region.current.name}"
  interface_endpoints     = var.vpc_endpoints ? toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms", "sts", "cognito-idp"]) : toset([])

  # ECR stores image layers in this AWS-owned bucket; Fargate fetches them from it when it pulls an image.
  ecr_layer_bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::prod-${data.aws_region.current.name}-starport-layer-bucket"
}

resource "aws_security_group" "endpoints" {
  count = var.vpc_endpoints ? 1 : 0

  name        = "${var.name}-vpc-endpoints"
  description = "Interface VPC endpoints of ${var.name}: HTTPS in from the VPC"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-vpc-endpoints" })

  lifecycle {
    create_before_destroy = true
  }
}

# From the whole VPC unless given groups: the services' groups are made after the VPC (and name this group in
# their own egress rules), so the CIDR is what the live config uses. Endpoints only answer; they need no egress.
resource "aws_vpc_security_group_ingress_rule" "endpoints_from_vpc" {
  count = var.vpc_endpoints && length(var.vpc_endpoint_allowed_security_group_ids) == 0 ? 1 : 0

  security_group_id = aws_security_group.endpoints[0].id
  description       = "HTTPS to the AWS API endpoints from the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = aws_vpc.this.cidr_block
  tags              = merge(var.tags, { Name = "${var.name}-vpc-endpoints-in-vpc" })
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_groups" {
  # Keyed by position so the keys are known at plan time even when the group IDs are not yet.
  for_each = var.vpc_endpoints ? { for i, id in var.vpc_endpoint_allowed_security_group_ids : tostring(i) => id } : {}

  security_group_id            = aws_security_group.endpoints[0].id
  description                  = "HTTPS to the AWS API endpoints from an allowed group"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value
  tags                         = merge(var.tags, { Name = "${var.name}-vpc-endpoints-in-${each.key}" })
}

# Interface endpoints keep the default (full-access) endpoint policy: which principal may do what is already
# decided by the task and execution roles, and a policy here would have to list every action the ECS agent, the
# log driver and the apps use (a missing one fails at run time, not at plan time). The S3 gateway is different:
# it carries all in-region S3 traffic of the private subnets, and the tasks need exactly one bucket from it.
resource "aws_vpc_endpoint" "interface" {
  for_each = local.interface_endpoints

  vpc_id              = aws_vpc.this.id
  service_name        = "${local.endpoint_service_prefix}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints[0].id]
  private_dns_enabled = true

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

# Reads of the ECR layer bucket, plus list, read and write of the buckets the caller names. Why not the default
# (full-access) policy: the tasks use S3 only to pull image layers, so anything else that reaches S3 from the
# private subnets (a compromised task exfiltrating to a bucket of its own in this region) is refused. Terraform state and the load
# balancer's access logs do not pass here: Terragrunt runs outside the VPC and ELB writes its logs itself. S3 in
# other regions still goes through the NAT gateway (the prefix list covers this region only).
locals {
  # Written out, not an aws_iam_policy_document, so the module's offline tests can read it.
  s3_endpoint_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "PullEcrImageLayers"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "${local.ecr_layer_bucket_arn}/*"
      }],
      length(var.vpc_endpoint_s3_bucket_arns) == 0 ? [] : [{
        Sid       = "UseTheNamedBuckets"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject", "s3:PutObject"]
        Resource  = concat(var.vpc_endpoint_s3_bucket_arns, [for b in var.vpc_endpoint_s3_bucket_arns : "${b}/*"])
      }],
    )
  })
}

resource "aws_vpc_endpoint" "s3" {
  count = var.vpc_endpoints ? 1 : 0

  vpc_id            = aws_vpc.this.id
  service_name      = "${local.endpoint_service_prefix}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
  policy            = local.s3_endpoint_policy

  tags = merge(var.tags, { Name = "${var.name}-s3" })
}
