output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (the LoadBalancer dimension of its CloudWatch metrics)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (point a CNAME or alias record at it)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route 53 hosted zone ID of the load balancer (for alias records)."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "Security group of the load balancer (the frontend tasks accept traffic from it only)."
  value       = aws_security_group.alb.id
}

output "target_group_arn" {
  description = "ARN of the frontend target group (ip targets)."
  value       = aws_lb_target_group.frontend.arn
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the frontend target group (the TargetGroup dimension of its CloudWatch metrics)."
  value       = aws_lb_target_group.frontend.arn_suffix
}

output "url" {
  description = "Base URL of the application, e.g. \"https://chat.example.com\" (https://<domain_name> when one is given), or `http://<alb dns name>` without a certificate."
  value       = local.url
}

output "https_enabled" {
  description = "Whether the load balancer serves HTTPS (a certificate was given or requested)."
  value       = local.https
}

output "certificate_arn" {
  description = "ARN of the HTTPS listener's certificate: certificate_arn, or the one requested (and issued) for domain_name; empty without HTTPS."
  value       = local.certificate_arn
}

output "access_logs_bucket" {
  description = "Name of the S3 bucket holding the access logs (under alb/AWSLogs/`<account>`/)."
  value       = aws_s3_bucket.access_logs.id
}
