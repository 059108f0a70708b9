# The policy documents of the CI roles. Statements with resource "*" are those whose actions AWS authorises on no
# narrower resource (describe/list calls, creates whose resource has no ARN yet): each says so, and writes among
# them are bound by tag conditions instead.

locals {
  # What planning any unit reads: describe/list of the services the stack uses. `service:Describe*` /
  # `service:List*` where every such call is a read of configuration; elsewhere the reads are spelled out so that
  # secret values (secretsmanager:GetSecretValue), registry tokens and image layers stay out.
  read_actions = [
    "ec2:Describe*",
    "ecs:Describe*", "ecs:List*",
    "elasticloadbalancing:Describe*",
    "logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
    "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListResourceTags",
    "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecrets",
    "ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:ListImages", "ecr:GetLifecyclePolicy",
    "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource",
    "iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags",
    "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetOpenIDConnectProvider",
    "cloudwatch:DescribeAlarms", "cloudwatch:GetDashboard", "cloudwatch:ListTagsForResource",
    "sns:GetTopicAttributes", "sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource",
    "servicediscovery:GetNamespace", "servicediscovery:GetService", "servicediscovery:GetOperation",
    "servicediscovery:ListNamespaces", "servicediscovery:ListServices", "servicediscovery:ListTagsForResource",
    "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
    "application-autoscaling:ListTagsForResource",
    "wafv2:GetWebACL", "wafv2:ListWebACLs", "wafv2:GetWebACLForResource", "wafv2:GetLoggingConfiguration",
    "wafv2:ListResourcesForWebACL", "wafv2:ListTagsForResource", "logs:DescribeResourcePolicies",
    "acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate",
    "route53:GetHostedZone", "route53:ListHostedZones", "route53:ListHostedZonesByName", "route53:ListResourceRecordSets",
    "route53:ListTagsForResource", "route53:GetChange",
    # The user pool and its client (no client of this stack has a secret), the budgets table.
    "cognito-idp:DescribeUserPool", "cognito-idp:DescribeUserPoolClient", "cognito-idp:GetUserPoolMfaConfig",
    "cognito-idp:ListTagsForResource", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive",
    "dynamodb:DescribeContinuousBackups", "dynamodb:ListTagsOfResource",
    # A random value from Secrets Manager (no secret is read): the session key's ephemeral resource opens it on
    # every plan, so that the value never enters a plan or state.
    "secretsmanager:GetRandomPassword",
  ]

  # The S3 reads the AWS provider makes to refresh a bucket (the load balancer's access-log bucket).
  bucket_read_actions = [
    "s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration", "s3:ListBucket",
  ]
  app_buckets_arn = "${local.arn}:s3:::${var.name}-*"

  # Further services' deploy statements go here, as { sid, actions, resources, conditions = [{ test, variable,
  # values }] } (they join the runtime part), and their reads into read_actions.
  extension_statements = []

  deploy_documents = {
    network = data.aws_iam_policy_document.deploy_network.json
    runtime = data.aws_iam_policy_document.deploy_runtime.json
    control = data.aws_iam_policy_document.deploy_control.json
    edge    = data.aws_iam_policy_document.deploy_edge.json
    data    = data.aws_iam_policy_document.deploy_data.json
  }

  # EC2 creates that carry the environment's tags in the request (tag-on-create).
  ec2_tagged_creates = [
    "ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateInternetGateway", "ec2:CreateNatGateway", "ec2:AllocateAddress",
    "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:CreateFlowLogs", "ec2:CreateVpcEndpoint",
  ]
}

# --- Read (every role) ----------------------------------------------------------------------------------------

data "aws_iam_policy_document" "read" {
  #checkov:skip=CKV_AWS_356:describe and list calls authorise on no resource, and a plan must see what exists; none returns a secret value, a token or object contents
  statement {
    sid = "DescribeAndList"
    # Why: ec2:Describe*, ecs:Describe*/List*, elasticloadbalancing:Describe* are every read of those services'
    # configuration, which a plan of the stack needs (read_actions lists the rest one by one).
    #tfsec:ignore:aws-iam-no-policy-wildcards
    actions = local.read_actions
    # Why: describe/list calls authorise on no resource (AWS requires "*"), and a plan must see what exists;
    # none of these actions returns a secret's value, a registry token or an object's content.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid = "ReadTheAppBuckets"
    # Why: s3:GetBucket* are the bucket configuration reads the provider makes to refresh a bucket, on the
    # environment's own buckets only.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    actions   = local.bucket_read_actions
    resources = [local.app_buckets_arn]
  }
  statement {
    sid       = "ReadTheStateBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketVersioning", "s3:GetEncryptionConfiguration", "s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging", "s3:GetBucketLocation"]
    resources = [local.state_bucket_arn]
  }
  statement {
    sid       = "ReadTheStates"
    actions   = ["s3:GetObject"]
    resources = concat([local.state_objects_arn], var.promotion_source == null ? [] : ["${local.state_bucket_arn}/${var.promotion_source.state_key_prefix}*"])
  }
}

# --- Plan -----------------------------------------------------------------------------------------------------

# Explicit denies, so that no other policy (now or later) can give a pull request's run these.
data "aws_iam_policy_document" "plan_denies" {
  statement {
    sid    = "NeverSecretValuesRegistryTokensImagesOrWrites"
    effect = "Deny"
    actions = [
      "secretsmanager:GetSecretValue", "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
      "kms:Decrypt", "s3:PutObject", "s3:DeleteObject",
    ]
    resources = ["*"]
  }
}

# --- Release --------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "release" {
  #checkov:skip=CKV_AWS_356:only ecr:GetAuthorizationToken and task definition registration, which AWS authorises on no resource; pushes and service updates name the app's ARNs
  statement {
    sid       = "WriteStatesAndLocks"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [local.state_objects_arn]
  }
  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # Why: ecr:GetAuthorizationToken supports no resource-level permissions (AWS requires "*"); pushes and pulls
    # are limited to the environment's repositories below.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid = "PushAndPullTheAppImages"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
      "ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
    ]
    resources = local.repositories_arns
  }
  dynamic "statement" {
    for_each = var.promotion_source == null ? [] : [var.promotion_source]
    content {
      sid       = "PullThePromotedImages"
      actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      resources = ["${local.arn}:ecr:${local.region}:${local.account}:repository/${statement.value.name}-*", "${local.arn}:ecr:${local.region}:${local.account}:repository/${statement.value.name}/*"]
    }
  }
  statement {
    sid     = "RegisterTaskDefinitions"
    actions = ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:TagResource"]
    # Why: ecs:RegisterTaskDefinition and DeregisterTaskDefinition authorise on no resource (AWS requires "*");
    # what a task definition may do is bounded by the PassRole statement below.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid       = "RollTheAppServices"
    actions   = ["ecs:UpdateService"]
    resources = [local.services_arn]
  }
  statement {
    sid       = "PassOnlyTheAppRolesToEcs"
    actions   = ["iam:PassRole"]
    resources = [local.app_roles_arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# --- Permissions boundary -------------------------------------------------------------------------------------

# The ceiling of the CI roles and of every role the deploy role creates (the services' task and execution roles,
# the flow-log role): per service, what the stack uses at all; each role's own policy grants the narrow part. It
# forbids creating a role without it, removing it, or changing it and the CI roles themselves.
data "aws_iam_policy_document" "boundary" {
  #checkov:skip=CKV_AWS_107:a permissions boundary is a ceiling that grants nothing by itself; the roles' own policies grant the narrow rights
  #checkov:skip=CKV_AWS_108:a permissions boundary is a ceiling that grants nothing by itself; the roles' own policies grant the narrow rights
  #checkov:skip=CKV_AWS_109:a permissions boundary is a ceiling that grants nothing by itself; its Deny statements keep the CI roles and the boundary out of reach
  #checkov:skip=CKV_AWS_110:a permissions boundary is a ceiling that grants nothing by itself; its Deny statements refuse roles without this boundary
  #checkov:skip=CKV_AWS_111:a permissions boundary is a ceiling that grants nothing by itself; the roles' own policies grant the narrow rights
  #checkov:skip=CKV_AWS_356:a permissions boundary is a ceiling over the stack's services; the roles' own policies name the resources
  statement {
    sid = "TheServicesOfTheStack"
    # Why: a boundary is a ceiling per service (the effective rights are its intersection with each role's own,
    # narrow policy); listing every action here would duplicate those policies.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    actions = [
      "ec2:*", "ecs:*", "elasticloadbalancing:*", "logs:*", "kms:*", "secretsmanager:*", "ecr:*", "iam:*",
      "cloudwatch:*", "sns:*", "servicediscovery:*", "route53:*", "application-autoscaling:*", "s3:*", "sts:*",
      "ssm:GetParameters", "ssmmessages:*", "wafv2:*", "acm:*", "cognito-idp:*", "dynamodb:*",
    ]
    # Why: the ceiling spans every resource; names, tags and ARNs are scoped by each role's own policy.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid       = "NoRoleWithoutThisBoundary"
    effect    = "Deny"
    actions   = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
    resources = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }
  statement {
    sid       = "KeepTheBoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }
  statement {
    sid    = "NeverChangeTheCiRolesOrTheirPolicies"
    effect = "Deny"
    actions = [
      "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
      "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
      "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
      "iam:DetachRolePolicy", "iam:DeleteRole", "iam:UpdateRole", "iam:TagRole", "iam:UntagRole",
    ]
    resources = [local.ci_roles_arn, local.ci_policies_arn]
  }
  statement {
    sid       = "NoUsersGroupsOrKeys"
    effect    = "Deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateGroup", "iam:AddUserToGroup", "iam:CreateOpenIDConnectProvider", "iam:CreateSAMLProvider"]
    resources = ["*"]
  }
}
