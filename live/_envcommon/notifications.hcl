# The notifications unit, shared by every environment: the SNS topic the alarms notify (KMS-encrypted, with an
# e-mail subscription) when the environment sets alarm_email; nothing otherwise. It needs no other unit, so it
# applies at the start and the services, whose alarms notify it, never wait for it.
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//notifications"
}

inputs = {
  alarm_email = local.env.alarm_email
}
