# Optional CI deploy role, assumed by GitHub Actions of one repository through OIDC: push the app images, roll
# the two services to new task definitions, and pass only this module's roles to ECS.

locals {
  ci_enabled      = var.github_repository != ""
  create_oidc     = local.ci_enabled && var.github_oidc_provider_arn == ""
  github_oidc_url = "token.actions.githubusercontent.com"
  oidc_provider_arn = local.ci_enabled ? (
    local.create_oidc ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn
  ) : null

  # The three roles the CI role may hand to ECS, by their (deterministic) ARNs.
  app_role_arns = [
    for role in [aws_iam_role.execution.name, aws_iam_role.backend_task.name, aws_iam_role.frontend_task.name] :
    "${local.arn_base}:iam::${local.account}:role/${role}"
  ]
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
    # limited to the two app repositories below.
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
    resources = local.repository_arns
  }
  statement {
    sid       = "RollTheAppServices"
    actions   = ["ecs:UpdateService", "ecs:DescribeServices"]
    resources = local.service_arns
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
    resources = local.app_role_arns
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
}
