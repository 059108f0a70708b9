# The alb unit, shared by every environment: the internet-facing load balancer, its access-log bucket and the
# frontend target group. HTTPS with env.hcl's alb_certificate_arn, or a certificate requested for alb_domain_name in
# alb_hosted_zone; plain HTTP only where env.hcl says alb_allow_plain_http = true outside production.
locals {
  env           = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  require_https = local.env.production || !try(local.env.alb_allow_plain_http, false)

  # The emulator holds no certificate or zone of yours: against it `npm start` and the tests create a Route 53
  # zone with a reserved name (RFC 2606 .test, scripts/src/local/hosted-zone.ts) and name it in
  # FAS_LOCAL_HOSTED_ZONE; an environment that requires HTTPS then gets <env>.<zone> there, so the same ACM request,
  # DNS validation and alias record run locally. Real AWS (no AWS_ENDPOINT_URL): env.hcl's values, always.
  local_zone  = get_env("AWS_ENDPOINT_URL", "") != "" && local.require_https ? get_env("FAS_LOCAL_HOSTED_ZONE", "") : ""
  hosted_zone = local.local_zone != "" ? local.local_zone : local.env.alb_hosted_zone
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//alb"
}

dependency "vpc" {
  config_path = "../vpc"

  mock_outputs = {
    vpc_id            = "vpc-00000000000000000"
    vpc_cidr_block    = "10.0.0.0/16"
    public_subnet_ids = ["subnet-00000000000000000", "subnet-00000000000000001"]
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  vpc_id            = dependency.vpc.outputs.vpc_id
  vpc_cidr_block    = dependency.vpc.outputs.vpc_cidr_block
  public_subnet_ids = dependency.vpc.outputs.public_subnet_ids

  require_https       = local.require_https
  certificate_arn     = local.local_zone != "" ? "" : local.env.alb_certificate_arn
  domain_name         = local.local_zone != "" ? "${local.env.name}.${local.local_zone}" : local.env.alb_domain_name
  hosted_zone_id      = can(regex("^Z[A-Z0-9]+$", local.hosted_zone)) ? local.hosted_zone : ""
  hosted_zone_name    = can(regex("^Z[A-Z0-9]+$", local.hosted_zone)) ? "" : local.hosted_zone
  deletion_protection = local.env.alb_deletion_protection
  # Protected environments keep their access logs when the stack is destroyed.
  access_logs_force_destroy  = !local.env.alb_deletion_protection
  access_logs_retention_days = local.env.log_retention_days
}
