# The vpc unit, shared by every environment; values come from the environment's env.hcl.
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//vpc"
}

inputs = {
  cidr_block               = local.env.vpc_cidr
  az_count                 = local.env.az_count
  nat_gateway_strategy     = local.env.nat_gateway_strategy
  flow_logs_retention_days = local.env.log_retention_days
  vpc_endpoints            = local.env.vpc_endpoints
}
