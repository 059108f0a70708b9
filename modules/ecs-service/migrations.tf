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
