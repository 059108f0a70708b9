# What is account-wide rather than part of one service: the GitHub OIDC provider and an optional CI deploy role
# that GitHub Actions of one repository assumes through it (no long-lived keys anywhere). The role may push to
# the given repositories, roll the given services to new task definitions, and pass only the given roles to ECS;
# the services' own roles belong to each service (modules/ecs-service).

locals {
  ci_enabled      = var.github_repository != ""
  create_oidc     = local.ci_enabled && var.github_oidc_provider_arn == ""
  github_oidc_url = "token.actions.githubusercontent.com"
  oidc_provider_arn = local.ci_enabled ? (
    local.create_oidc ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn
  ) : null
}

# An account has one OIDC provider per URL: create it here, or pass the ARN of the existing one (e.g. when dev
# and prod share an account, let one environment create it and give its ARN to the other).
resource "aws_iam_openid_connect_provider" "github" {
  count = local.create_oidc ? 1 : 0

  url            = "https://${local.github_oidc_url}"
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

data "aws_iam_policy_document" "ci_trust" {
  count = local.ci_enabled ? 1 : 0

  statement {
    sid     = "GitHubActionsOfOneRepository"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "${local.github_oidc_url}:sub"
      values   = [for subject in var.github_subjects : "repo:${var.github_repository}:${subject}"]
    }
  }
}

resource "aws_iam_role" "ci" {
  count = local.ci_enabled ? 1 : 0

  name                 = "${var.name}-ci-deploy"
  description          = "Deploy role of ${var.name} for GitHub Actions of ${var.github_repository} (OIDC, no keys)."
  assume_role_policy   = data.aws_iam_policy_document.ci_trust[0].json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "ci" {
  count = local.ci_enabled ? 1 : 0

  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # Why: ecr:GetAuthorizationToken supports no resource-level permissions (AWS requires "*"); pushes are
    # limited to the given repositories below.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid = "PushTheAppImages"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
      "ecr:DescribeImages",
    ]
    resources = var.repository_arns
  }
  statement {
    sid       = "RollTheAppServices"
    actions   = ["ecs:UpdateService", "ecs:DescribeServices"]
    resources = var.service_arns
  }
  statement {
    sid     = "RegisterTaskDefinitions"
    actions = ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"]
    # Why: ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition support no resource-level permissions (AWS
    # requires "*"); what a task definition may do is bounded by the PassRole statement below.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid       = "PassOnlyTheAppRolesToEcs"
    actions   = ["iam:PassRole"]
    resources = var.passable_role_arns
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "ci" {
  count = local.ci_enabled ? 1 : 0

  name   = "deploy"
  role   = aws_iam_role.ci[0].id
  policy = data.aws_iam_policy_document.ci[0].json

  lifecycle {
    precondition {
      condition     = length(var.repository_arns) > 0 && length(var.service_arns) > 0 && length(var.passable_role_arns) > 0
      error_message = "a CI deploy role (github_repository set) needs repository_arns, service_arns and passable_role_arns: what it pushes to, rolls and hands to ECS."
    }
  }
}
