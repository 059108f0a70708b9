output "service_name" {
  description = "Name of the ECS service, `<name>-<service>`."
  value       = aws_ecs_service.this.name
}

output "service_arn" {
  description = "ARN of the ECS service."
  value       = aws_ecs_service.this.id
}

output "security_group_id" {
  description = "Security group of the tasks (allow it as a source in the services this one calls)."
  value       = aws_security_group.this.id
}

output "task_definition_arn" {
  description = "ARN (with revision) of the task definition the service runs."
  value       = aws_ecs_task_definition.this.arn
}

output "task_definition_family" {
  description = "Family of the task definition, `<name>-<service>`."
  value       = aws_ecs_task_definition.this.family
}

output "log_group_name" {
  description = "CloudWatch log group of the containers, log_group_name or `/ecs/`<name>`/<service>`."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of that log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "log_kms_key_arn" {
  description = "ARN of the customer-managed KMS key encrypting the log group."
  value       = local.log_kms_key_arn
}

output "discovery_name" {
  description = "DNS name the tasks are registered under in Cloud Map, e.g. \"backend.dev.fargate-ai-stack.local\"; null without registration."
  value       = local.discoverable ? "${var.service}.${var.service_discovery_namespace_name}" : null
}

output "discovery_service_arn" {
  description = "ARN of the Cloud Map service; null without registration."
  value       = local.discoverable ? aws_service_discovery_service.this[0].arn : null
}

output "task_role_arn" {
  description = "ARN of the task role the application runs as (exactly task_role_statements)."
  value       = aws_iam_role.task.arn
}

output "task_role_name" {
  description = "Name of the task role, `<name>-`<service>`-task` (attach further policies to it if needed)."
  value       = aws_iam_role.task.name
}

output "execution_role_arn" {
  description = "ARN of the task execution role (pulls the image, writes the logs, reads injected secrets)."
  value       = aws_iam_role.execution.arn
}

output "alarm_names" {
  description = "Names of the service's alarms (`<name>-<service>-cpu-high`, `-memory-high`, and behind a load balancer `-5xx-rate`, `-unhealthy-targets`)."
  value       = local.alarm_names
}

output "deployment_alarm_names" {
  description = "Alarms that roll the service's deployments back: its own 5xx-rate and unhealthy-targets alarms, those of deployment_alarm_services, and deployment_alarm_names."
  value       = local.deployment_alarm_names
}
