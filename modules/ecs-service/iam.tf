# The service's two roles. The task execution role is what the ECS agent needs to start the tasks: pull the
# image from the given repositories, write to the service's own log group, and read the `secrets` it injects.
# The task role is what the application itself may do: exactly the caller's statements (and ECS Exec's
# channels while that is on).

locals {
  role_prefix = "${var.name}-${var.service}"

  # Secrets ECS injects, by the service that holds them (valueFrom is a Secrets Manager or SSM parameter ARN).
  injected_secret_arns = [for s in var.secrets : s.valueFrom if strcontains(s.valueFrom, ":secretsmanager:")]
  injected_param_arns  = [for s in var.secrets : s.valueFrom if strcontains(s.valueFrom, ":ssm:")]
}

# Trust policy of both roles: only ECS tasks of this account (confused-deputy guard).
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
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

# --- Task execution role ----------------------------------------------------------------------------------

resource "aws_iam_role" "execution" {
  name                 = "${local.role_prefix}-execution"
  description          = "ECS task execution role of ${local.role_prefix}: pulls its image and writes its logs."
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
  permissions_boundary = var.permissions_boundary_arn == "" ? null : var.permissions_boundary_arn
  max_session_duration = 3600
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = length("${local.role_prefix}-execution") <= 64
      error_message = "\"${local.role_prefix}-execution\" is longer than IAM's 64 characters for a role name: shorten name or service."
    }
  }
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # Why: ecr:GetAuthorizationToken supports no resource-level permissions (AWS requires "*"). The token alone
    # grants nothing: pulls are limited to the repositories below.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = length(var.repository_arns) > 0 ? [1] : []
    content {
      sid       = "PullTheImage"
      actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
      resources = var.repository_arns
    }
  }
  statement {
    sid     = "WriteTheLogs"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    # Why: log streams are created per task at run time; the wildcard stays inside the service's log group.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["${local.log_group_arn}:log-stream:*"]
  }
  dynamic "statement" {
    for_each = length(local.injected_secret_arns) > 0 ? [1] : []
    content {
      sid       = "ReadTheInjectedSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.injected_secret_arns
    }
  }
  # Secrets encrypted with a customer-managed key: the key decrypts only through Secrets Manager and only for the
  # injected secrets (Secrets Manager puts the secret's ARN into the encryption context).
  dynamic "statement" {
    for_each = length(var.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "DecryptTheInjectedSecretsThroughSecretsManager"
      actions   = ["kms:Decrypt"]
      resources = var.secrets_kms_key_arns
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:SecretARN"
        values   = local.injected_secret_arns
      }
    }
  }
  dynamic "statement" {
    for_each = length(local.injected_param_arns) > 0 ? [1] : []
    content {
      sid       = "ReadTheInjectedParameters"
      actions   = ["ssm:GetParameters"]
      resources = local.injected_param_arns
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-tasks"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# --- Task role --------------------------------------------------------------------------------------------

resource "aws_iam_role" "task" {
  name                 = "${local.role_prefix}-task"
  description          = "Task role of ${local.role_prefix}: ${var.task_role_description}"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
  permissions_boundary = var.permissions_boundary_arn == "" ? null : var.permissions_boundary_arn
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "task" {
  count = length(var.task_role_statements) > 0 ? 1 : 0

  dynamic "statement" {
    for_each = var.task_role_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "task" {
  count = length(var.task_role_statements) > 0 ? 1 : 0

  name   = "app"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task[0].json
}

# ECS Exec (`aws ecs execute-command`) opens an SSM session from inside the task: only while it is turned on.
locals {
  exec_audited = var.exec_audit.log_group_arn != ""
}

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
  # The session's record goes to the cluster's audit log (modules/ecs-cluster, exec_audit_logging); the agent checks
  # that the group is encrypted before it writes, and decrypts the session's data key.
  dynamic "statement" {
    for_each = local.exec_audited ? [var.exec_audit] : []
    content {
      sid       = "RecordTheSessionsInTheAuditLog"
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
      resources = [statement.value.log_group_arn, "${statement.value.log_group_arn}:log-stream:*"]
    }
  }
  dynamic "statement" {
    for_each = local.exec_audited ? [var.exec_audit] : []
    content {
      sid     = "FindTheAuditLogGroup"
      actions = ["logs:DescribeLogGroups"]
      # Why: logs:DescribeLogGroups is granted on the account's log groups, not on one group: it lists them. It
      # reveals names and settings only, no log events.
      #tfsec:ignore:aws-iam-no-policy-wildcards
      resources = [replace(statement.value.log_group_arn, "/:log-group:.*/", ":log-group:*")]
    }
  }
  dynamic "statement" {
    for_each = local.exec_audited ? [var.exec_audit] : []
    content {
      sid       = "DecryptTheSessions"
      actions   = ["kms:Decrypt"]
      resources = [statement.value.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "exec" {
  count = var.enable_execute_command ? 1 : 0

  name   = "ecs-exec"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.exec.json
}
