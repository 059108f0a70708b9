# Bootstrap: the CI roles of this environment. Apply it once, as an administrator, in this folder
# (`terragrunt apply`), before the pipeline runs; see README "CI/CD on GitHub Actions".
include "root" {
  path   = find_in_parent_folders("terragrunt.hcl")
  expose = true
}

include "unit" {
  path   = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/ci-roles.hcl"
  expose = true
}

# Never part of a `terragrunt run --all` (the pipeline's, npm start's, the tests'): those run with the roles this
# unit creates. A direct run in this folder still works.
exclude {
  if      = true
  actions = ["all"]
}

inputs = {
  # What the deploy role may create and change: resources tagged as this environment, and its state bucket.
  resource_tags = { for key, value in include.root.locals.default_tags : key => value if key != "managed-by" }
  state_bucket  = include.root.locals.state_bucket
  promotion_source = include.unit.locals.env.ci_promotion_source == "" ? null : {
    name             = "${include.root.locals.app}-${include.unit.locals.env.ci_promotion_source}"
    state_key_prefix = "${dirname(include.unit.locals.env_dir)}/${include.unit.locals.env.ci_promotion_source}/"
  }
}
