# State moves for deployments made before the key came from modules/kms-key: the key is kept, not replaced
# (replacing it would schedule the deletion of the key that encrypts the logs).
moved {
  from = aws_kms_key.logs
  to   = module.kms_key[0].aws_kms_key.this
}
moved {
  from = aws_kms_alias.logs
  to   = module.kms_key[0].aws_kms_alias.this
}

# The CPU and memory policies became one resource with a policy per metric: the same policies, not new ones.
moved {
  from = aws_appautoscaling_policy.cpu
  to   = aws_appautoscaling_policy.this["cpu"]
}
moved {
  from = aws_appautoscaling_policy.memory
  to   = aws_appautoscaling_policy.this["memory"]
}

# Resources that came to this module from another unit's state; no `moved` block can cross states.
# - The CPU, memory and unhealthy-targets alarms (and the frontend's 5xx rate, new) were made by
#   modules/monitoring under the names used here. Nothing to do: creating an alarm of an existing name updates it,
#   and monitoring's copies are forgotten by hand first (modules/monitoring/migrations.tf).
# - The rule that admits a caller into a called service's group moved from the called service
#   (aws_vpc_security_group_ingress_rule.from_sources, e.g. the backend's from the frontend) to the caller
#   (aws_vpc_security_group_ingress_rule.to_callees). Applied as it is, the called unit deletes its rule first and
#   the caller re-creates it minutes later: the caller cannot reach it in between. To avoid that, before applying,
#   hand the rule over: in the called unit `terragrunt state rm 'aws_vpc_security_group_ingress_rule.from_sources["0"]'`,
#   in the caller `terragrunt import 'aws_vpc_security_group_ingress_rule.to_callees["0"]' <sgr-... rule ID>`.
# - With kms_key_arn now given (the live units pass the ecs-cluster unit's shared logs key), the service's own key
#   (module.kms_key[0]) leaves the configuration: the apply re-encrypts new log events with the given key and
#   schedules the old key's deletion (kms_key_deletion_window_days). Events written before stay encrypted with the
#   old key and become unreadable once it is deleted. Where logs are kept longer than that window (prod keeps 90
#   days), keep the old key: before applying, `terragrunt state rm 'module.kms_key[0]'` in the service unit (the
#   key and its alias stay, unmanaged), and schedule its deletion by hand once the retention has passed.

# The 443-anywhere rule became optional (internet_egress): the deployed rule is kept, not replaced.
moved {
  from = aws_vpc_security_group_egress_rule.https
  to   = aws_vpc_security_group_egress_rule.https[0]
}
