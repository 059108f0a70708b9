# A private ECR repository per app, encrypted with a customer-managed key (the caller's, or one of its own made
# by modules/kms-key), with immutable tags, scan on push, a lifecycle policy, and an optional repository policy
# for principals that IAM policies of this account cannot reach (other accounts, CI roles kept elsewhere).

locals {
  repositories = { for app in var.repositories : app => "${var.name}-${app}" }
  kms_key_arn  = var.kms_key_arn != "" ? var.kms_key_arn : module.kms_key[0].key_arn
}

# The registry's key, unless the caller passes one. No service statement: ECR acts with the credentials of
# whoever creates a repository and then encrypts layers through a grant it creates on the key for that
# repository; pulls and pushes need no KMS permission of their own.
module "kms_key" {
  source = "../kms-key"
  count  = var.kms_key_arn == "" ? 1 : 0

  alias                   = "${var.name}-ecr"
  description             = "Encrypts the container images of ${var.name}"
  deletion_window_in_days = var.kms_key_deletion_window_days
  tags                    = var.tags
}

resource "aws_ecr_repository" "this" {
  for_each = local.repositories

  name = each.value
  # A tag (the git SHA) always means the same image; services deploy by digest anyway.
  image_tag_mutability = "IMMUTABLE"
  # Dev deletes the repository with its images; prod refuses to delete a repository that still holds images.
  force_delete = var.force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = local.kms_key_arn
  }

  tags = merge(var.tags, { App = each.key })
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images (superseded layers of interrupted pushes) after ${var.untagged_expire_days} days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_expire_days
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the last ${var.keep_release_images} release images (tagged with a git SHA)"
        selection = {
          tagStatus      = "tagged"
          tagPatternList = ["*"]
          countType      = "imageCountMoreThan"
          countNumber    = var.keep_release_images
        }
        action = { type = "expire" }
      },
    ]
  })
}

data "aws_iam_policy_document" "repository" {
  dynamic "statement" {
    for_each = length(var.pull_principal_arns) > 0 ? [1] : []
    content {
      sid     = "PullByTheTaskExecutionRole"
      actions = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
      principals {
        type        = "AWS"
        identifiers = var.pull_principal_arns
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.push_principal_arns) > 0 ? [1] : []
    content {
      sid = "PushByTheDeployRole"
      actions = [
        "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
        "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
      ]
      principals {
        type        = "AWS"
        identifiers = var.push_principal_arns
      }
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  for_each = length(var.pull_principal_arns) + length(var.push_principal_arns) > 0 ? aws_ecr_repository.this : {}

  repository = each.value.name
  policy     = data.aws_iam_policy_document.repository.json
}
