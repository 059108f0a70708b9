# The alb unit, shared by every environment: the internet-facing load balancer, its access-log bucket and the
# frontend target group. HTTPS turns on when the environment sets alb_certificate_arn.
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
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

  certificate_arn     = local.env.alb_certificate_arn
  domain_name         = local.env.alb_domain_name
  deletion_protection = local.env.alb_deletion_protection
  # Protected environments keep their access logs when the stack is destroyed.
  access_logs_force_destroy  = !local.env.alb_deletion_protection
  access_logs_retention_days = local.env.log_retention_days
}
