output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_url" {
  description = "Console URL of the dashboard."
  value       = "https://${local.region}.console.aws.amazon.com/cloudwatch/home?region=${local.region}#dashboards:name=${aws_cloudwatch_dashboard.this.dashboard_name}"
}

output "alarm_names_by_service" {
  description = "Per service, the alarms that should roll its deployments back (pass to ecs-service's deployment_alarm_names), e.g. { frontend = [`<name>-alb-5xx-rate`, `<name>-frontend-unhealthy-targets`], backend = [`<name>-alb-5xx-rate`] }."
  value       = local.alarm_names_by_service
}

output "alarm_names" {
  description = "Names of every alarm the module creates."
  value       = local.all_alarm_names
}

output "notification_topic_arn" {
  description = "SNS topic alarms notify (created or given); null when there is none."
  value       = local.notification_topic_arn
}
