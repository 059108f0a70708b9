output "topic_arn" {
  description = "ARN of the alarm topic (pass it to ecs-service's alarm_topic_arn); empty when no e-mail address is given."
  value       = local.create ? aws_sns_topic.this[0].arn : ""
}

output "kms_key_arn" {
  description = "ARN of the key encrypting the topic (given or made); empty without a topic."
  value       = local.create ? (var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn) : ""
}
