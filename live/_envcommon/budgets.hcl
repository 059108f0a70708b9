# The budgets unit, shared by every environment: the DynamoDB table "<name>-budgets" of daily token counters per
# user and per environment (hash key pk, TTL on expires_at), encrypted with a key of its own. It needs nothing from
# the other units; the backend reads its outputs (the table's name and ARN, the key's ARN).
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//budgets"
}

inputs = {
  point_in_time_recovery = local.env.budget_point_in_time_recovery
  deletion_protection    = local.env.budget_deletion_protection
}
