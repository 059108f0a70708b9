include "root" {
  path = find_in_parent_folders("terragrunt.hcl")
}

include "service" {
  path           = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/ecs-service.hcl"
  merge_strategy = "deep"
}

include "unit" {
  path           = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/backend.hcl"
  merge_strategy = "deep"
}
