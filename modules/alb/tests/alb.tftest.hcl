# Plan-time tests with a mocked AWS provider: no credentials or emulator needed.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_elb_service_account" {
    defaults = {
      arn = "arn:aws:iam::127311923021:root"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{}"
    }
  }
  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::fas-test-alb-logs-123456789012"
    }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fas-test-alb/0123456789abcdef"
      arn_suffix = "app/fas-test-alb/0123456789abcdef"
      dns_name   = "fas-test-alb-123456789.us-east-1.elb.amazonaws.com"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fas-test-frontend/0123456789abcdef"
      arn_suffix = "targetgroup/fas-test-frontend/0123456789abcdef"
    }
  }
}

variables {
  name              = "fas-test"
  vpc_id            = "vpc-0123456789abcdef0"
  vpc_cidr_block    = "10.20.0.0/16"
  public_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

run "http_only_without_a_certificate" {
  command = plan

  assert {
    condition     = keys(aws_lb_listener.forward) == ["HTTP"] && length(aws_lb_listener.http_redirect) == 0
    error_message = "without a certificate there must be exactly one plain HTTP listener that forwards"
  }
  assert {
    condition     = one(aws_lb_listener.forward["HTTP"].default_action).type == "forward" && aws_lb_listener.forward["HTTP"].port == 80
    error_message = "the HTTP listener must forward to the frontend without a certificate"
  }
  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.public) == ["http"] && aws_vpc_security_group_ingress_rule.public["http"].from_port == 80 && aws_vpc_security_group_ingress_rule.public["http"].cidr_ipv4 == "0.0.0.0/0"
    error_message = "port 80 must be open to the internet, 443 only with a certificate"
  }
  assert {
    condition     = output.url == "http://fas-test-alb-123456789.us-east-1.elb.amazonaws.com"
    error_message = "without a certificate the URL must be http:// on the load balancer's DNS name"
  }
}

run "https_with_a_certificate" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab"
    domain_name     = "chat.example.com"
  }

  assert {
    condition     = keys(aws_lb_listener.forward) == ["HTTPS"] && length(aws_lb_listener.http_redirect) == 1
    error_message = "with a certificate there must be an HTTPS listener and an HTTP listener that only redirects"
  }
  assert {
    condition     = aws_lb_listener.forward["HTTPS"].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06" && aws_lb_listener.forward["HTTPS"].protocol == "HTTPS" && aws_lb_listener.forward["HTTPS"].port == 443 && aws_lb_listener.forward["HTTPS"].certificate_arn == var.certificate_arn
    error_message = "the HTTPS listener must use a TLS 1.2+ policy"
  }
  assert {
    condition = (
      one(one(aws_lb_listener.http_redirect[0].default_action).redirect).protocol == "HTTPS" &&
      one(one(aws_lb_listener.http_redirect[0].default_action).redirect).status_code == "HTTP_301"
    )
    error_message = "HTTP must redirect permanently to HTTPS"
  }
  assert {
    condition     = contains(keys(aws_vpc_security_group_ingress_rule.public), "https") && aws_vpc_security_group_ingress_rule.public["https"].from_port == 443
    error_message = "443 must be open with a certificate"
  }
  assert {
    condition     = output.url == "https://chat.example.com"
    error_message = "with a certificate and a domain the URL must be https:// on the domain"
  }
}

run "load_balancer_hardening" {
  command = plan

  variables {
    deletion_protection = false
  }

  assert {
    condition     = aws_lb.this.drop_invalid_header_fields && !aws_lb.this.internal && aws_lb.this.idle_timeout == 60
    error_message = "the ALB must be internet-facing, drop invalid headers and use a 60 s idle timeout"
  }
  assert {
    condition     = aws_lb.this.enable_deletion_protection == false
    error_message = "deletion protection must follow the variable"
  }
  assert {
    condition     = one(aws_lb.this.access_logs).enabled && one(aws_lb.this.access_logs).prefix == "alb"
    error_message = "access logs must be on"
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.targets.cidr_ipv4 == "10.20.0.0/16" && aws_vpc_security_group_egress_rule.targets.from_port == 3000 && aws_vpc_security_group_egress_rule.targets.to_port == 3000
    error_message = "the ALB may only send to the VPC on the target port"
  }
}

run "frontend_target_group" {
  command = plan

  assert {
    condition     = aws_lb_target_group.frontend.target_type == "ip" && aws_lb_target_group.frontend.port == 3000
    error_message = "the frontend target group must take ip targets on port 3000 (Fargate awsvpc)"
  }
  assert {
    condition     = one(aws_lb_target_group.frontend.health_check).path == "/healthz" && one(aws_lb_target_group.frontend.health_check).matcher == "200"
    error_message = "the health check must probe /healthz for a 200"
  }
}

run "access_log_bucket_is_locked_down" {
  command = plan

  assert {
    condition = (
      aws_s3_bucket_public_access_block.access_logs.block_public_acls &&
      aws_s3_bucket_public_access_block.access_logs.block_public_policy &&
      aws_s3_bucket_public_access_block.access_logs.ignore_public_acls &&
      aws_s3_bucket_public_access_block.access_logs.restrict_public_buckets
    )
    error_message = "the access-log bucket must block every kind of public access"
  }
  assert {
    condition     = one(aws_s3_bucket_versioning.access_logs.versioning_configuration).status == "Enabled"
    error_message = "the access-log bucket must be versioned"
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.access_logs.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "the access-log bucket must be encrypted (SSE-S3: the only kind ALB log delivery supports)"
  }
  assert {
    condition     = aws_s3_bucket.access_logs.bucket == "fas-test-alb-logs-123456789012" && aws_s3_bucket.access_logs.force_destroy == false
    error_message = "the bucket name must include the account and keep its logs by default"
  }
}

# Every input below refuses its bad value by its own validation: OpenTofu checks them all, and the run fails if
# any listed input lets its value through.
run "rejects_bad_inputs" {
  command = plan

  variables {
    # Too long for a load balancer's name.
    name = "fargate-ai-stack-production-env"
    # One subnet (a load balancer needs two zones).
    public_subnet_ids = ["subnet-0123456789abcdef0"]
    # A certificate that is not from ACM.
    certificate_arn = "arn:aws:iam::123456789012:server-certificate/old"
    # A TLS policy older than TLS 1.2.
    ssl_policy = "ELBSecurityPolicy-2016-08"
    # An idle timeout above the apps' keep-alive.
    idle_timeout = 120
  }

  expect_failures = [var.name, var.public_subnet_ids, var.certificate_arn, var.ssl_policy, var.idle_timeout]
}
