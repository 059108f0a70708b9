output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "capacity_providers" {
  description = "Capacity providers associated with the cluster (services may use any of them)."
  value       = aws_ecs_cluster_capacity_providers.this.capacity_providers
}

output "namespace_id" {
  description = "ID of the Cloud Map private DNS namespace (for service registration), e.g. \"ns-abc123\"."
  value       = aws_service_discovery_private_dns_namespace.this.id
}

output "namespace_name" {
  description = "Domain of the Cloud Map namespace, e.g. \"dev.fargate-ai-stack.local\"."
  value       = aws_service_discovery_private_dns_namespace.this.name
}

output "namespace_arn" {
  description = "ARN of the Cloud Map namespace."
  value       = aws_service_discovery_private_dns_namespace.this.arn
}

output "namespace_hosted_zone_id" {
  description = "ID of the Route 53 private hosted zone Cloud Map manages for the namespace."
  value       = aws_service_discovery_private_dns_namespace.this.hosted_zone
}

output "log_group_names" {
  description = "Per service of service_log_groups, the name its log group must have (ecs-service's log_group_name), e.g. { backend = \"/ecs/fargate-ai-stack-dev/backend\" }."
  value       = local.log_group_names
}

output "logs_kms_key_arn" {
  description = "ARN of the key for those log groups (ecs-service's kms_key_arn), which also encrypts ECS Exec sessions; empty without service_log_groups and Exec audit logging."
  value       = local.logs_kms_key_arn
}

output "exec_audit" {
  description = "What a service's task role needs to run audited ECS Exec sessions (ecs-service's exec_audit): the audit log group's ARN and the sessions' key ARN; both empty without exec_audit_logging."
  value = {
    log_group_arn = var.exec_audit_logging ? aws_cloudwatch_log_group.exec_audit[0].arn : ""
    kms_key_arn   = var.exec_audit_logging ? local.logs_kms_key_arn : ""
  }
}
