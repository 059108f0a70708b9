# HTTPS from a domain name and its Route 53 hosted zone: an ACM certificate validated by DNS records in the zone,
# and an alias record that points the name at the load balancer. With certificate_arn given, that certificate is
# used instead and nothing is requested; the alias record is made whenever a domain and a zone are given.

locals {
  zone_given          = var.hosted_zone_id != "" || var.hosted_zone_name != ""
  request_certificate = var.certificate_arn == "" && var.domain_name != "" && local.zone_given
  certificate_arn = (
    var.certificate_arn != "" ? var.certificate_arn :
    local.request_certificate ? aws_acm_certificate_validation.this[0].certificate_arn : ""
  )
}

data "aws_route53_zone" "this" {
  count = local.zone_given ? 1 : 0

  zone_id      = var.hosted_zone_id != "" ? var.hosted_zone_id : null
  name         = var.hosted_zone_id != "" ? null : var.hosted_zone_name
  private_zone = false

  lifecycle {
    precondition {
      condition     = var.hosted_zone_id == "" || var.hosted_zone_name == ""
      error_message = "hosted_zone_id (\"${var.hosted_zone_id}\") and hosted_zone_name (\"${var.hosted_zone_name}\") are both set: give one of the two."
    }
    postcondition {
      condition     = var.domain_name != "" && (var.domain_name == trimsuffix(self.name, ".") || endswith(var.domain_name, ".${trimsuffix(self.name, ".")}"))
      error_message = "domain_name (\"${var.domain_name}\") must be set and lie in the hosted zone ${trimsuffix(self.name, ".")}: give a name such as \"chat.${trimsuffix(self.name, ".")}\", or the zone that holds your domain."
    }
  }
}

resource "aws_acm_certificate" "this" {
  count = local.request_certificate ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"
  tags              = merge(var.tags, { Name = var.domain_name })

  # The listener always holds a certificate: a replacement is issued before the old one is released.
  lifecycle {
    create_before_destroy = true
  }
}

# The CNAME records ACM checks to prove the domain is ours; ACM renews the certificate while they stay.
resource "aws_route53_record" "validation" {
  for_each = local.request_certificate ? {
    for option in aws_acm_certificate.this[0].domain_validation_options : option.domain_name => option
  } : {}

  zone_id = data.aws_route53_zone.this[0].zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 300
  # A re-created certificate for the same name gets the same record: take it over rather than fail.
  allow_overwrite = true
}

# Waits until ACM has issued the certificate, so the HTTPS listener never gets one still pending.
resource "aws_acm_certificate_validation" "this" {
  count = local.request_certificate ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for record in aws_route53_record.validation : record.fqdn]
}

# The users' name for the load balancer. IPv4 only (no AAAA): the load balancer and its VPC have no IPv6, so an
# AAAA alias would answer nothing.
resource "aws_route53_record" "alias" {
  count = local.zone_given && var.domain_name != "" ? 1 : 0

  zone_id = data.aws_route53_zone.this[0].zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
