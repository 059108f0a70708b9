# The ecr unit, shared by every environment: a repository per app (apps.hcl). The services' execution roles pull
# and the CI role pushes through their own IAM policies (same account), so no repository policy is needed here.
locals {
  env  = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  apps = read_terragrunt_config("${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/apps.hcl").locals.apps
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//ecr"
}

inputs = {
  repositories         = keys(local.apps)
  keep_release_images  = local.env.ecr_keep_release_images
  untagged_expire_days = local.env.ecr_untagged_expire_days
  force_delete         = local.env.ecr_force_delete
}
