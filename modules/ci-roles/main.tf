# The CI roles of one environment, applied once by an administrator (live/<env>/_bootstrap/ci-roles), never by the
# pipeline they serve: a role cannot be created by the `terragrunt run --all apply` that needs it.
#
# - deploy (`<name>-ci-deploy`): runs `terragrunt run --all apply` of live/<env>; writes only resources named with
#   the prefix and tagged as the environment, its states and lock files; creates roles only with the boundary.
# - release (`<name>-ci-release`): a promotion's apply when nothing but the images changed: read everything, push
#   images, register task definitions, roll the services.
# - plan (`<name>-ci-plan`): `terragrunt run --all plan` of pull requests: read states, describe and list; never a
#   secret's value, a registry token or an image's layers.
#
# Every role carries the permissions boundary `<name>-ci-boundary`, and the deploy role may create a role only
# with that boundary attached: nothing it creates can do more than the boundary allows, nor change it.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name
  arn       = "arn:${local.partition}"

  create_oidc       = var.github_oidc_provider_arn == ""
  github_oidc_url   = "token.actions.githubusercontent.com"
  oidc_provider_arn = local.create_oidc ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn

  subjects = { deploy = var.deploy_subjects, release = var.release_subjects, plan = var.plan_subjects }
  roles    = { for role, subjects in local.subjects : role => subjects if length(subjects) > 0 }
  descriptions = {
    deploy  = "Infrastructure deploy role of ${var.name}: terragrunt run --all apply of its environment (GitHub OIDC)."
    release = "Release role of ${var.name}: push images, register task definitions, roll services (GitHub OIDC)."
    plan    = "Read-only plan role of ${var.name}: state read, describe and list; no secrets, no registry tokens (GitHub OIDC)."
  }

  boundary_name = "${var.name}-ci-boundary"
  boundary_arn  = "${local.arn}:iam::${local.account}:policy/${local.boundary_name}"

  # ARNs of what the environment owns, by its name prefix.
  state_bucket_arn  = "${local.arn}:s3:::${var.state_bucket}"
  state_objects_arn = "${local.state_bucket_arn}/${var.state_key_prefix}*"
  app_roles_arn     = "${local.arn}:iam::${local.account}:role/${var.name}-*"
  ci_roles_arn      = "${local.arn}:iam::${local.account}:role/${var.name}-ci-*"
  ci_policies_arn   = "${local.arn}:iam::${local.account}:policy/${var.name}-ci-*"
  repositories_arns = ["${local.arn}:ecr:${local.region}:${local.account}:repository/${var.name}-*", "${local.arn}:ecr:${local.region}:${local.account}:repository/${var.name}/*"]
  ecs_arn           = "${local.arn}:ecs:${local.region}:${local.account}"
  services_arn      = "${local.ecs_arn}:service/${var.name}/*"
  task_defs_arn     = "${local.ecs_arn}:task-definition/${var.name}-*:*"

  # Conditions that a request creates resources tagged as the environment, or changes resources that are.
  request_tags  = [for k, v in var.resource_tags : { variable = "aws:RequestTag/${k}", value = v }]
  resource_tags = [for k, v in var.resource_tags : { variable = "aws:ResourceTag/${k}", value = v }]
}

# An account has one OIDC provider per URL: create it here, or pass the ARN of the existing one (e.g. when dev
# and prod share an account, let one environment's bootstrap create it and give its ARN to the other).
resource "aws_iam_openid_connect_provider" "github" {
  count = local.create_oidc ? 1 : 0

  url            = "https://${local.github_oidc_url}"
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

# --- Roles ----------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "trust" {
  for_each = local.roles

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
    # StringEquals, not StringLike: the subjects are exact (validated), so no pattern can widen them.
    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:sub"
      values   = [for subject in each.value : "repo:${var.github_repository}:${subject}"]
    }
  }

  # Tests only (empty in real environments): the emulator test's administrator assumes the roles directly.
  dynamic "statement" {
    for_each = length(var.test_trusted_principal_arns) > 0 ? [1] : []
    content {
      sid     = "TestPrincipals"
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = var.test_trusted_principal_arns
      }
    }
  }
}

resource "aws_iam_role" "ci" {
  for_each = local.roles

  name                 = "${var.name}-ci-${each.key}"
  description          = local.descriptions[each.key]
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  permissions_boundary = local.boundary_arn # known at plan time, so the tests see it; the policy comes first
  max_session_duration = 3600
  tags                 = var.tags

  depends_on = [aws_iam_policy.boundary]
}

resource "aws_iam_role_policy_attachment" "read" {
  for_each = local.roles

  role       = aws_iam_role.ci[each.key].name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = contains(keys(local.roles), "deploy") ? aws_iam_policy.deploy : {}

  role       = aws_iam_role.ci["deploy"].name
  policy_arn = each.value.arn
}

resource "aws_iam_role_policy" "release" {
  count = contains(keys(local.roles), "release") ? 1 : 0

  name   = "release"
  role   = aws_iam_role.ci["release"].id
  policy = data.aws_iam_policy_document.release.json
}

resource "aws_iam_role_policy" "plan_denies" {
  count = contains(keys(local.roles), "plan") ? 1 : 0

  name   = "never-secrets-or-registry-tokens"
  role   = aws_iam_role.ci["plan"].id
  policy = data.aws_iam_policy_document.plan_denies.json
}

# --- Policies -------------------------------------------------------------------------------------------------

resource "aws_iam_policy" "boundary" {
  name        = local.boundary_name
  description = "Permissions boundary of ${var.name}'s CI roles and of every role the deploy role creates."
  policy      = data.aws_iam_policy_document.boundary.json
  tags        = var.tags
}

resource "aws_iam_policy" "read" {
  name        = "${var.name}-ci-read"
  description = "What ${var.name}'s CI roles read: its states, describe and list of what it runs."
  policy      = data.aws_iam_policy_document.read.json
  tags        = var.tags
}

# A managed policy holds at most 6,144 characters: the deploy role's rights come in parts.
resource "aws_iam_policy" "deploy" {
  for_each = local.deploy_documents

  name        = "${var.name}-ci-deploy-${each.key}"
  description = "Infrastructure deploy rights of ${var.name} (${each.key})."
  policy      = each.value
  tags        = var.tags

  lifecycle {
    precondition {
      condition     = length(jsonencode(jsondecode(each.value))) <= 6144
      error_message = "the deploy policy part ${each.key} is longer than a managed policy's 6,144 characters: move statements to another part."
    }
  }
}
