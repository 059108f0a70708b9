# State moves for deployments made before the key came from modules/kms-key: the key is kept, not replaced
# (replacing it would schedule the deletion of the key that encrypts the notifications).
moved {
  from = aws_kms_key.alarms[0]
  to   = module.kms_key[0].aws_kms_key.this
}
moved {
  from = aws_kms_alias.alarms[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

# State moves for deployments made before the single-metric alarms became one resource keyed "<service>-<kind>":
# the alarms are kept, not replaced. Moves take literal keys, so these cover this project's services
# (live/_envcommon/apps.hcl) with the frontend behind the load balancer; a deployment with other service names
# moves its alarms once with `tofu state mv` (e.g. 'aws_cloudwatch_metric_alarm.cpu_high["api"]' to
# 'aws_cloudwatch_metric_alarm.service["api-cpu-high"]').
moved {
  from = aws_cloudwatch_metric_alarm.unhealthy_targets
  to   = aws_cloudwatch_metric_alarm.service["frontend-unhealthy-targets"]
}
moved {
  from = aws_cloudwatch_metric_alarm.cpu_high["frontend"]
  to   = aws_cloudwatch_metric_alarm.service["frontend-cpu-high"]
}
moved {
  from = aws_cloudwatch_metric_alarm.memory_high["frontend"]
  to   = aws_cloudwatch_metric_alarm.service["frontend-memory-high"]
}
moved {
  from = aws_cloudwatch_metric_alarm.cpu_high["backend"]
  to   = aws_cloudwatch_metric_alarm.service["backend-cpu-high"]
}
moved {
  from = aws_cloudwatch_metric_alarm.memory_high["backend"]
  to   = aws_cloudwatch_metric_alarm.service["backend-memory-high"]
}
