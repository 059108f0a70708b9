# The public entry point of one environment: an internet-facing Application Load Balancer in the public
# subnets, its security group, listeners and the frontend target group. Access logs go to logs.tf's bucket.

data "aws_caller_identity" "current" {}

locals {
  # HTTPS with the given certificate, or with one this module requests (https.tf) for domain_name in the zone.
  https = var.certificate_arn != "" || local.request_certificate
  # The address users (and the backend's CORS check) see: the DNS name the certificate covers when one is given,
  # the load balancer's own name otherwise.
  host = var.domain_name != "" ? var.domain_name : aws_lb.this.dns_name
  url  = "${local.https ? "https" : "http"}://${local.host}"

  # Port 80 is always open: it serves the app without a certificate and redirects to HTTPS with one.
  public_ports = merge(
    { http = { port = 80, description = "HTTP from the internet (redirected to HTTPS when a certificate is set)" } },
    local.https ? { https = { port = 443, description = "HTTPS from the internet" } } : {},
  )
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Load balancer of ${var.name}: HTTP(S) from the internet, to the frontend tasks only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-alb" })

  # A replacement (e.g. a new VPC) must exist before the old group is released by the load balancer.
  lifecycle {
    create_before_destroy = true
  }
}

# Why: this is the public entry point of the application; browsers reach it from any address.
#tfsec:ignore:aws-ec2-no-public-ingress-sgr
resource "aws_vpc_security_group_ingress_rule" "public" {
  for_each = local.public_ports

  security_group_id = aws_security_group.alb.id
  description       = each.value.description
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = "0.0.0.0/0"
  tags              = merge(var.tags, { Name = "${var.name}-alb-${each.key}" })
}

# Out only to the targets (and their health checks) inside the VPC, on the target port.
resource "aws_vpc_security_group_egress_rule" "targets" {
  security_group_id = aws_security_group.alb.id
  description       = "To the frontend tasks and their health checks"
  ip_protocol       = "tcp"
  from_port         = var.target_port
  to_port           = var.target_port
  cidr_ipv4         = var.vpc_cidr_block
  tags              = merge(var.tags, { Name = "${var.name}-alb-targets" })
}

# Why: an internet-facing load balancer is the point of this module: it is the application's public entry.
#tfsec:ignore:aws-elb-alb-not-public
resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_28:the web ACL is associated by modules/waf (the waf unit of live/dev and live/prod), a separate module that checkov cannot link to this one
  name               = "${var.name}-alb"
  load_balancer_type = "application"
  internal           = false
  subnets            = var.public_subnet_ids
  security_groups    = [aws_security_group.alb.id]

  # Streamed chat replies keep a request open for a long time; the apps send an SSE heartbeat every 15 s, so a
  # connection is never idle for longer than that. See README "Timeouts".
  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection

  access_logs {
    bucket  = aws_s3_bucket.access_logs.id
    prefix  = local.access_logs_prefix
    enabled = true
  }

  tags = merge(var.tags, { Name = "${var.name}-alb" })

  # ELB checks on creation that it may write to the bucket.
  depends_on = [aws_s3_bucket_policy.access_logs]

  lifecycle {
    precondition {
      condition     = local.https || !var.require_https
      error_message = "HTTPS is required (require_https; production = true in live/<env>/env.hcl) but no certificate is given: set certificate_arn to an ACM certificate (request one in ACM, or import your own), or set domain_name and hosted_zone_id or hosted_zone_name (the public Route 53 zone holding that name) and this module requests one, validated by DNS. In live/<env>/env.hcl these are alb_certificate_arn, or alb_domain_name and alb_hosted_zone."
    }
  }
}

resource "aws_lb_target_group" "frontend" {
  name                 = "${var.name}-frontend"
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.target_port
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    protocol            = "HTTP"
    path                = var.health_check_path
    port                = "traffic-port"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = merge(var.tags, { Name = "${var.name}-frontend" })

  # A listener always points at a target group: a replacement must exist before the old one goes.
  lifecycle {
    create_before_destroy = true
  }
}

# The listener that forwards to the frontend: HTTPS with a certificate, else plain HTTP (only with
# require_https = false: development, or a CDN in front that terminates TLS). Keyed by protocol: adding a
# certificate replaces the HTTP listener rather than changing it in place while the redirect below takes port 80.
# Why: HTTP forwards only when no certificate_arn is given; with one, port 80 only redirects to HTTPS.
#tfsec:ignore:aws-elb-http-not-used
resource "aws_lb_listener" "forward" {
  #checkov:skip=CKV_AWS_2:HTTP forwards only when no certificate is given (require_https = false, development); with one this listener is HTTPS and port 80 only redirects
  #checkov:skip=CKV_AWS_103:TLS applies only to the HTTPS variant of this listener, whose var.ssl_policy is validated to TLS 1.2-or-newer policies; the HTTP variant has no TLS to configure
  for_each = local.https ? { HTTPS = 443 } : { HTTP = 80 }

  load_balancer_arn = aws_lb.this.arn
  port              = each.value
  protocol          = each.key
  ssl_policy        = local.https ? var.ssl_policy : null
  certificate_arn   = local.https ? local.certificate_arn : null

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.frontend.arn
  }

  tags = var.tags
}

resource "aws_lb_listener" "http_redirect" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}
