# The key policy's content, rendered by the real AWS provider's aws_iam_policy_document (which needs no AWS
# access); the one data source that would call AWS (the caller's account) is overridden. Plan only: nothing is
# created and no credentials are needed.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
  }
}

variables {
  name = "fas-test"
  env  = "dev"
}

run "key_policy_spells_out_actions_for_the_account_only" {
  command = plan

  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.key.json).Statement :
      alltrue([for a in flatten([s.Action]) : a != "*" && a != "kms:*"])
    ])
    error_message = "the key policy must not grant kms:* or *"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.key.json).Statement :
      s.Principal == { AWS = "arn:aws:iam::123456789012:root" }
    ])
    error_message = "only this account may be named in the key policy"
  }
}
