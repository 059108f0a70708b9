# State moves for deployments made before the key came from modules/kms-key: the key is kept, not replaced
# (replacing it would schedule the deletion of the key that encrypts the flow logs).
moved {
  from = aws_kms_key.flow_logs
  to   = module.kms_key[0].aws_kms_key.this
}
moved {
  from = aws_kms_alias.flow_logs
  to   = module.kms_key[0].aws_kms_alias.this
}
