# The roles of one environment: the ECS task execution role, a task role per app, and an optional CI deploy
# role that GitHub Actions assumes through OIDC (no long-lived keys anywhere).
#
# Resource ARNs are computed from the project's naming conventions instead of being read from other units: the
# ecr unit depends on this one (its repository policy names these roles), so this unit must not depend on ecr.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name
  account   = data.aws_caller_identity.current.account_id
  arn_base  = "arn:${local.partition}"

  apps = ["frontend", "backend"]

  repository_names = { for app in local.apps : app => "${var.name}-${app}" }
  repository_arns  = [for app in local.apps : "${local.arn_base}:ecr:${local.region}:${local.account}:repository/${var.name}-${app}"]
  log_stream_arns  = [for app in local.apps : "${local.arn_base}:logs:${local.region}:${local.account}:log-group:/ecs/${var.name}/${app}:log-stream:*"]
  service_arns     = [for app in local.apps : "${local.arn_base}:ecs:${local.region}:${local.account}:service/${var.name}/${var.name}-${app}"]
}

# Trust policy of every ECS task role: only ECS tasks of this account (confused-deputy guard).
data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    sid     = "EcsTasksOfThisAccount"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.arn_base}:ecs:${local.region}:${local.account}:*"]
    }
  }
}

# --- Task execution role: what the ECS agent needs to start the tasks (pull images, write logs) ------------

resource "aws_iam_role" "execution" {
  name                 = "${var.name}-ecs-execution"
  description          = "ECS task execution role of ${var.name}: pulls the app images and writes their logs."
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # Why: ecr:GetAuthorizationToken supports no resource-level permissions (AWS requires "*"). The token alone
    # grants nothing: pulls are limited to the two app repositories below.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid       = "PullTheAppImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = local.repository_arns
  }
  statement {
    sid     = "WriteTheAppLogs"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    # Why: log streams are created per task at run time; the wildcard stays inside the two app log groups.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = local.log_stream_arns
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-images-write-logs"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# --- Task roles: what the apps themselves may do ----------------------------------------------------------

resource "aws_iam_role" "backend_task" {
  name                 = "${var.name}-backend-task"
  description          = "Task role of the ${var.name} backend: reads the OpenAI API key secret and nothing else."
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "backend_task" {
  statement {
    sid       = "ReadTheOpenAiKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.secret_arn]
  }
  statement {
    # Only through Secrets Manager, and only for that one secret (Secrets Manager puts the secret's ARN into the
    # encryption context).
    sid       = "DecryptTheOpenAiKeyThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [var.secret_kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:SecretARN"
      values   = [var.secret_arn]
    }
  }
}

resource "aws_iam_role_policy" "backend_task" {
  name   = "read-openai-api-key"
  role   = aws_iam_role.backend_task.id
  policy = data.aws_iam_policy_document.backend_task.json
}

resource "aws_iam_role" "frontend_task" {
  name                 = "${var.name}-frontend-task"
  description          = "Task role of the ${var.name} frontend: no AWS permissions (it only talks to the backend)."
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
  max_session_duration = 3600
  tags                 = var.tags
}

# ECS Exec (`aws ecs execute-command`) opens an SSM session from inside the task: only while it is turned on.
data "aws_iam_policy_document" "exec" {
  statement {
    sid = "EcsExecSessions"
    actions = [
      "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
    ]
    # Why: the ssmmessages channel actions support no resource-level permissions (AWS requires "*"); the
    # statement exists only while enable_execute_command is true.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "exec" {
  for_each = var.enable_execute_command ? { frontend = aws_iam_role.frontend_task.id, backend = aws_iam_role.backend_task.id } : {}

  name   = "ecs-exec"
  role   = each.value
  policy = data.aws_iam_policy_document.exec.json
}
