# The iam unit, shared by every environment: what is account-wide rather than part of a service, i.e. the
# optional GitHub Actions deploy role (OIDC) scoped to the repositories, services and service roles it deploys.
# It comes last: it reads those from the ecr and service units.
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//iam"
}

dependency "ecr" {
  config_path = "../ecr"

  mock_outputs = {
    repository_arns = { backend = "arn:aws:ecr:us-east-1:123456789012:repository/mock-backend" }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "frontend" {
  config_path = "../frontend"

  mock_outputs = {
    service_arn        = "arn:aws:ecs:us-east-1:123456789012:service/mock/mock-frontend"
    task_role_arn      = "arn:aws:iam::123456789012:role/mock-frontend-task"
    execution_role_arn = "arn:aws:iam::123456789012:role/mock-frontend-execution"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "backend" {
  config_path = "../backend"

  mock_outputs = {
    service_arn        = "arn:aws:ecs:us-east-1:123456789012:service/mock/mock-backend"
    task_role_arn      = "arn:aws:iam::123456789012:role/mock-backend-task"
    execution_role_arn = "arn:aws:iam::123456789012:role/mock-backend-execution"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  repository_arns          = values(dependency.ecr.outputs.repository_arns)
  service_arns             = [for s in [dependency.frontend.outputs, dependency.backend.outputs] : s.service_arn]
  passable_role_arns       = flatten([for s in [dependency.frontend.outputs, dependency.backend.outputs] : [s.task_role_arn, s.execution_role_arn]])
  github_repository        = local.env.ci_github_repository
  github_subjects          = local.env.ci_github_subjects
  github_oidc_provider_arn = local.env.ci_github_oidc_provider_arn
}
