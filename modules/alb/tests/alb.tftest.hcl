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
      zone_id    = "Z35SXDOTRQ7X7K"
    }
  }
  # Looked up by name in the runs below; the run that gives the zone's ID overrides its name.
  mock_data "aws_route53_zone" {
    defaults = {
      zone_id = "Z0123456789ABCDEFGHIJ"
    }
  }
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
      domain_validation_options = [{
        domain_name           = "chat.example.com"
        resource_record_name  = "_0123456789abcdef.chat.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_fedcba9876543210.acm-validations.aws."
      }]
    }
  }
  mock_resource "aws_route53_record" {
    defaults = {
      fqdn = "_0123456789abcdef.chat.example.com"
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
  # Plain HTTP only by this explicit setting (the module's default requires HTTPS: see the runs below).
  require_https = false
}

run "refuses_to_plan_production_without_a_certificate" {
  command = plan

  variables {
    require_https = true
    # A name alone makes no certificate: a zone (or a certificate ARN) is needed too.
    domain_name = "chat.example.com"
  }

  expect_failures = [aws_lb.this]
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
    require_https   = true
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab"
    domain_name     = "chat.example.com"
  }

  assert {
    condition     = keys(aws_lb_listener.forward) == ["HTTPS"] && length(aws_lb_listener.http_redirect) == 1
    error_message = "with a certificate there must be an HTTPS listener and an HTTP listener that only redirects"
  }
  assert {
    condition     = aws_lb_listener.forward["HTTPS"].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" && aws_lb_listener.forward["HTTPS"].protocol == "HTTPS" && aws_lb_listener.forward["HTTPS"].port == 443 && aws_lb_listener.forward["HTTPS"].certificate_arn == var.certificate_arn
    error_message = "the HTTPS listener must use the given certificate and AWS's recommended TLS 1.2+ policy (TLS13-1-2-Res-PQ-2025-09)"
  }
  assert {
    condition     = one(aws_lb_listener.forward["HTTPS"].default_action).type == "forward"
    error_message = "the HTTPS listener must forward to the frontend"
  }
  assert {
    condition     = one(aws_lb_listener.http_redirect[0].default_action).type == "redirect" && one(aws_lb_listener.http_redirect[0].default_action).target_group_arn == null
    error_message = "the HTTP listener must only redirect, never forward"
  }
  assert {
    condition     = length(aws_acm_certificate.this) == 0 && length(aws_route53_record.alias) == 0 && output.certificate_arn == var.certificate_arn
    error_message = "with a certificate ARN and no zone nothing is requested and no DNS record is made"
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

run "https_with_a_domain_and_a_hosted_zone" {
  command = plan

  variables {
    require_https    = true
    domain_name      = "chat.example.com"
    hosted_zone_name = "example.com"
  }

  assert {
    condition     = aws_acm_certificate.this[0].domain_name == "chat.example.com" && aws_acm_certificate.this[0].validation_method == "DNS"
    error_message = "an ACM certificate for the domain must be requested, validated by DNS"
  }
  assert {
    condition = (
      keys(aws_route53_record.validation) == ["chat.example.com"] &&
      aws_route53_record.validation["chat.example.com"].zone_id == "Z0123456789ABCDEFGHIJ" &&
      aws_route53_record.validation["chat.example.com"].type == "CNAME" &&
      aws_route53_record.validation["chat.example.com"].name == "_0123456789abcdef.chat.example.com." &&
      aws_route53_record.validation["chat.example.com"].records == toset(["_fedcba9876543210.acm-validations.aws."])
    )
    error_message = "ACM's validation record must be made in the hosted zone"
  }
  assert {
    condition     = aws_acm_certificate_validation.this[0].certificate_arn == aws_acm_certificate.this[0].arn && aws_acm_certificate_validation.this[0].validation_record_fqdns == toset(["_0123456789abcdef.chat.example.com"])
    error_message = "the certificate's validation must wait for the validation record"
  }
  assert {
    condition     = aws_lb_listener.forward["HTTPS"].certificate_arn == "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" && output.certificate_arn == aws_lb_listener.forward["HTTPS"].certificate_arn
    error_message = "the HTTPS listener must use the validated certificate"
  }
  assert {
    condition     = keys(aws_lb_listener.forward) == ["HTTPS"] && one(one(aws_lb_listener.http_redirect[0].default_action).redirect).protocol == "HTTPS"
    error_message = "with a requested certificate port 443 serves HTTPS and port 80 only redirects"
  }
  assert {
    condition = (
      aws_route53_record.alias[0].zone_id == "Z0123456789ABCDEFGHIJ" && aws_route53_record.alias[0].name == "chat.example.com" && aws_route53_record.alias[0].type == "A" &&
      one(aws_route53_record.alias[0].alias).name == "fas-test-alb-123456789.us-east-1.elb.amazonaws.com" && one(aws_route53_record.alias[0].alias).zone_id == "Z35SXDOTRQ7X7K"
    )
    error_message = "an alias A record must point the domain at the load balancer"
  }
  assert {
    condition     = output.url == "https://chat.example.com" && output.https_enabled
    error_message = "the URL must be https:// on the domain"
  }
}

run "a_certificate_arn_and_a_zone_request_nothing_but_make_the_alias" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab"
    domain_name     = "chat.example.com"
    hosted_zone_id  = "Z0123456789ABCDEFGHIJ"
  }

  override_data {
    target = data.aws_route53_zone.this
    values = {
      name = "example.com"
    }
  }

  assert {
    condition     = length(aws_acm_certificate.this) == 0 && length(aws_route53_record.validation) == 0 && length(aws_route53_record.alias) == 1
    error_message = "a given certificate is used as it is: no request, no validation records; the alias record still points the name at the load balancer"
  }
  assert {
    condition     = aws_lb_listener.forward["HTTPS"].certificate_arn == var.certificate_arn
    error_message = "the HTTPS listener must use the given certificate"
  }
}

run "refuses_a_domain_outside_the_hosted_zone" {
  command = plan

  variables {
    domain_name      = "chat.example.org"
    hosted_zone_name = "example.com"
  }

  expect_failures = [data.aws_route53_zone.this]
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
    # A zone ID with the API's /hostedzone/ prefix, and a zone name with its trailing dot.
    hosted_zone_id   = "/hostedzone/Z0123456789ABCDEFGHIJ"
    hosted_zone_name = "example.com."
    # An idle timeout above the apps' keep-alive.
    idle_timeout = 120
  }

  expect_failures = [var.name, var.public_subnet_ids, var.certificate_arn, var.ssl_policy, var.hosted_zone_id, var.hosted_zone_name, var.idle_timeout]
}
