include "root" {
  path = find_in_parent_folders("terragrunt.hcl")
}

include "unit" {
  path = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/live/_envcommon/budgets.hcl"
}
