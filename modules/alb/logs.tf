# Access logs: an S3 bucket only the load balancer writes to, encrypted, versioned, private, TLS-only, with
# expiry.

locals {
  access_logs_bucket = "${var.name}-alb-logs-${data.aws_caller_identity.current.account_id}"
  access_logs_prefix = "alb"
  # ELB writes objects under <prefix>/AWSLogs/<account>/.
  access_logs_object_arn = "${aws_s3_bucket.access_logs.arn}/${local.access_logs_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
}

# The regional Elastic Load Balancing account that delivers access logs in regions opened before August 2022
# (us-east-1, eu-west-1, ...). Newer regions use the log-delivery service principal instead; the bucket policy
# grants both, each only to this account's log prefix.
data "aws_elb_service_account" "current" {}

# Why: this bucket is the log destination itself; logging its access to another bucket would only move the
# question one bucket further. CloudTrail data events are the tool for auditing reads of it.
#tfsec:ignore:aws-s3-enable-bucket-logging
resource "aws_s3_bucket" "access_logs" {
  #checkov:skip=CKV_AWS_18:this bucket is the log destination itself; logging it to another bucket only moves the question one bucket further (CloudTrail data events audit its reads)
  #checkov:skip=CKV_AWS_145:Elastic Load Balancing delivers access logs only to buckets encrypted with S3-managed keys (SSE-S3), not with a customer-managed KMS key
  #checkov:skip=CKV_AWS_144:access logs are diagnostics kept var.access_logs_retention_days days; a replica in a second region would double their cost and protect nothing the application needs
  #checkov:skip=CKV2_AWS_62:nothing consumes the log objects as events; they are read on demand (Athena or a download), so there is no notification target
  bucket = local.access_logs_bucket
  # Dev may delete the logs with the load balancer; prod keeps them (destroy fails until they are emptied).
  force_destroy = var.access_logs_force_destroy
  tags          = merge(var.tags, { Name = local.access_logs_bucket })
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Why: Elastic Load Balancing delivers access logs only to buckets encrypted with S3-managed keys (SSE-S3);
# a customer-managed KMS key is not supported for ALB access logs.
#tfsec:ignore:aws-s3-encryption-customer-key
resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"
    # Everything the load balancer writes is under this prefix.
    filter {
      prefix = "${local.access_logs_prefix}/"
    }

    expiration {
      days = var.access_logs_retention_days
    }
    # Versioning keeps overwritten or deleted objects; do not keep them forever either.
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
  }

  # Bucket-wide, not only under the log prefix: nothing should leave unfinished uploads anywhere in it.
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  rule {
    id     = "remove-expired-delete-markers"
    status = "Enabled"
    filter {
      prefix = "${local.access_logs_prefix}/"
    }

    expiration {
      expired_object_delete_marker = true
    }
  }

  depends_on = [aws_s3_bucket_versioning.access_logs]
}

data "aws_iam_policy_document" "access_logs" {
  statement {
    sid       = "ElbAccountWritesAccessLogs"
    actions   = ["s3:PutObject"]
    resources = [local.access_logs_object_arn]
    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "LogDeliveryWritesAccessLogs"
    actions   = ["s3:PutObject"]
    resources = [local.access_logs_object_arn]
    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = data.aws_iam_policy_document.access_logs.json

  # A bucket policy is refused while the public access block is being set up.
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}
