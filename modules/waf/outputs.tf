output "web_acl_arn" {
  description = "ARN of the web ACL."
  value       = aws_wafv2_web_acl.this.arn
}

output "web_acl_name" {
  description = "Name of the web ACL (the WebACL dimension of its AWS/WAFV2 metrics)."
  value       = aws_wafv2_web_acl.this.name
}

output "log_group_name" {
  description = "Name of the log group holding the WAF's request logs (`aws-waf-logs-<name>`)."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_name" {
  description = "Name of the alarm on a surge of blocked requests (for the monitoring unit's dashboard and `npm run promote`)."
  value       = aws_cloudwatch_metric_alarm.blocked_requests.alarm_name
}
