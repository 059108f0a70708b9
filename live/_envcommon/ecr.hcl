# The ecr unit, shared by every environment: a repository per app, pullable by the task execution role and
# pushable by the CI deploy role (when there is one).
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//ecr"
}

dependency "iam" {
  config_path = "../iam"

  mock_outputs = {
    execution_role_arn = "arn:aws:iam::123456789012:role/mock-ecs-execution"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  repositories         = ["frontend", "backend"]
  keep_release_images  = local.env.ecr_keep_release_images
  untagged_expire_days = local.env.ecr_untagged_expire_days
  force_delete         = local.env.ecr_force_delete
  pull_principal_arns  = [dependency.iam.outputs.execution_role_arn]
  # A null output (no CI role) is absent from the dependency's outputs.
  push_principal_arns = [for arn in [try(dependency.iam.outputs.ci_role_arn, null)] : arn if arn != null]
}
