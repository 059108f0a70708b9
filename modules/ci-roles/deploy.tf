# The infrastructure deploy role's rights, in five managed policies (a managed policy holds 6,144 characters).
# Creates require the environment's tags in the request (aws:RequestTag), changes require them on the resource
# (aws:ResourceTag), and where a service names its resources, the ARNs carry the environment's name prefix.

# --- network: VPC, subnets, gateways, routes, security groups, flow logs, the load balancer ---------------------

data "aws_iam_policy_document" "deploy_network" {
  #checkov:skip=CKV_AWS_111:its creates and changes with resource "*" are those EC2 and ELB authorise on no ARN, each bound by an aws:RequestTag or aws:ResourceTag condition of the environment
  #checkov:skip=CKV_AWS_356:resource "*" only for creates and tag-scoped changes that EC2 and ELB cannot scope by ARN; each such statement carries tag conditions and its own reason
  statement {
    sid     = "Ec2CreateTagged"
    actions = concat(local.ec2_tagged_creates, ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"])
    # Why: an EC2 create has no ARN before it exists (AWS requires "*" or a type pattern); the request must tag
    # the new resource as this environment.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    dynamic "condition" {
      for_each = local.request_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
  statement {
    sid     = "Ec2TagOnCreate"
    actions = ["ec2:CreateTags"]
    # Why: tags are written with the create calls above, whose new resources have no ARN yet.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = concat([for a in local.ec2_tagged_creates : trimprefix(a, "ec2:")], ["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"])
    }
  }
  statement {
    sid = "Ec2ChangeTheEnvironments"
    actions = [
      "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
      "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway", "ec2:DeleteNatGateway",
      "ec2:ReleaseAddress", "ec2:DisassociateAddress", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:ReplaceRoute",
      "ec2:DeleteRoute", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:DeleteSecurityGroup",
      "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress", "ec2:DeleteFlowLogs", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:CreateTags", "ec2:DeleteTags",
    ]
    # Why: bound by the resource's tags (aws:ResourceTag) rather than ARNs, which EC2 assigns at creation.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    dynamic "condition" {
      for_each = local.resource_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
  statement {
    sid     = "LoadBalancerCreateTagged"
    actions = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:AddTags"]
    # Why: bound by the request's tags; a new load balancer, target group or listener has no ARN yet.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    dynamic "condition" {
      for_each = local.request_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
  statement {
    sid = "LoadBalancerChangeTheEnvironments"
    actions = [
      "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:DeleteRule",
      "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
    ]
    # Why: bound by the resource's tags; load balancer ARNs end in an ID AWS assigns.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    dynamic "condition" {
      for_each = local.resource_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
}

# --- runtime: ECS, Cloud Map, autoscaling, logs, alarms, dashboard, SNS, ECR, Secrets Manager, KMS -------------

data "aws_iam_policy_document" "deploy_runtime" {
  #checkov:skip=CKV_AWS_111:resource "*" only where AWS authorises on no resource (task definitions, Cloud Map namespaces, kms:CreateKey, the ECR login) or bound by the environment's tags (KMS keys)
  #checkov:skip=CKV_AWS_356:resource "*" only for actions AWS authorises on no narrower resource or bound by tag conditions; every other statement names the environment's ARNs
  #checkov:skip=CKV_AWS_109:the key and repository policy writes are limited to the environment's own keys (tag condition) and repositories (name-prefix ARNs)
  statement {
    sid = "EcsClusterAndServices"
    actions = [
      "ecs:CreateCluster", "ecs:UpdateCluster", "ecs:UpdateClusterSettings", "ecs:PutClusterCapacityProviders",
      "ecs:DeleteCluster", "ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:TagResource",
      "ecs:UntagResource",
    ]
    resources = ["${local.ecs_arn}:cluster/${var.name}", local.services_arn, local.task_defs_arn]
  }
  statement {
    sid     = "EcsTaskDefinitions"
    actions = ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:TagResource"]
    # Why: ecs:RegisterTaskDefinition and DeregisterTaskDefinition authorise on no resource (AWS requires "*");
    # the roles a task definition may carry are bounded by PassRole (control policy).
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid = "CloudMapAndAutoscaling"
    actions = [
      "servicediscovery:CreatePrivateDnsNamespace", "servicediscovery:CreateService", "servicediscovery:UpdateService",
      "servicediscovery:DeleteService", "servicediscovery:DeleteNamespace", "servicediscovery:TagResource",
      "servicediscovery:UntagResource", "application-autoscaling:RegisterScalableTarget",
      "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:PutScalingPolicy",
      "application-autoscaling:DeleteScalingPolicy", "application-autoscaling:TagResource",
      "application-autoscaling:UntagResource",
      # Cloud Map creates the namespace's private hosted zone with the caller's rights.
      "route53:CreateHostedZone", "route53:DeleteHostedZone", "route53:GetHostedZone", "route53:ChangeResourceRecordSets",
      "route53:ListResourceRecordSets", "route53:AssociateVPCWithHostedZone", "route53:GetChange",
    ]
    # Why: a namespace, its hosted zone and a scalable target have no ARN before they exist (the scalable target
    # is named by its ECS service); the services and roles they act on are bounded by the other statements.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid = "LogsAlarmsDashboardTopic"
    actions = [
      "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
      "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup",
      "logs:UntagLogGroup", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource",
      "cloudwatch:UntagResource", "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards", "sns:CreateTopic",
      "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe", "sns:TagResource",
      "sns:UntagResource",
    ]
    resources = [
      "${local.arn}:logs:${local.region}:${local.account}:log-group:/ecs/${var.name}/*",
      "${local.arn}:logs:${local.region}:${local.account}:log-group:/vpc/${var.name}/*",
      "${local.arn}:cloudwatch:${local.region}:${local.account}:alarm:${var.name}-*",
      # Target-tracking scaling policies create their alarms with the caller's rights.
      "${local.arn}:cloudwatch:${local.region}:${local.account}:alarm:TargetTracking-service/${var.name}/*",
      "${local.arn}:cloudwatch::${local.account}:dashboard/${var.name}",
      "${local.arn}:sns:${local.region}:${local.account}:${var.name}-*",
    ]
  }
  statement {
    sid = "RepositoriesAndSecret"
    actions = [
      "ecr:CreateRepository", "ecr:DeleteRepository", "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy",
      "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:PutImageTagMutability",
      "ecr:PutImageScanningConfiguration", "ecr:TagResource", "ecr:UntagResource", "ecr:BatchDeleteImage",
      "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
      "ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
      # The secret's container only: never its value (no GetSecretValue / PutSecretValue).
      "secretsmanager:CreateSecret", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret",
      "secretsmanager:RestoreSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource",
      "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy",
    ]
    resources = concat(local.repositories_arns, ["${local.arn}:secretsmanager:${local.region}:${local.account}:secret:${var.name}/*"])
  }
  statement {
    sid     = "EcrLoginAndKmsCreate"
    actions = ["ecr:GetAuthorizationToken", "kms:CreateKey"]
    # Why: ecr:GetAuthorizationToken and kms:CreateKey authorise on no resource (AWS requires "*"); the new key
    # must be tagged as this environment, and the token only reaches the repositories above.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid = "KmsKeysOfTheEnvironment"
    actions = [
      "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:UpdateKeyDescription",
      "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:CreateGrant",
      "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:RetireGrant",
    ]
    # Why: bound by the key's tags; key ARNs end in an ID AWS assigns.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    dynamic "condition" {
      for_each = local.resource_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
  statement {
    sid       = "KmsAliasesOfTheEnvironment"
    actions   = ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"]
    resources = ["${local.arn}:kms:${local.region}:${local.account}:alias/${var.name}-*"]
  }

  dynamic "statement" {
    for_each = local.extension_statements
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

# --- control: state, IAM roles with the boundary, the load balancer's log bucket ---------------------------------

data "aws_iam_policy_document" "deploy_control" {
  statement {
    sid       = "WriteStatesAndLocks"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [local.state_objects_arn]
  }
  statement {
    sid       = "RolesOnlyWithTheBoundary"
    actions   = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary"]
    resources = [local.app_roles_arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }
  statement {
    sid       = "ChangeTheAppRoles"
    actions   = ["iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole"]
    resources = [local.app_roles_arn]
  }
  statement {
    sid       = "PassTheAppRoles"
    actions   = ["iam:PassRole"]
    resources = [local.app_roles_arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com"]
    }
  }
  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["${local.arn}:iam::${local.account}:role/aws-service-role/*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "ecs.application-autoscaling.amazonaws.com"]
    }
  }
  # The CI roles and their policies are the bootstrap's: never the pipeline's (also denied by the boundary).
  statement {
    sid       = "NotTheCiRolesOrTheBootstrapState"
    effect    = "Deny"
    actions   = ["iam:*", "s3:PutObject", "s3:DeleteObject"]
    resources = [local.ci_roles_arn, local.ci_policies_arn, "${local.state_bucket_arn}/${var.bootstrap_state_prefix}*"]
  }
  statement {
    sid = "TheLoadBalancerLogBucket"
    actions = [
      "s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketOwnershipControls",
      "s3:PutBucketPublicAccessBlock", "s3:PutEncryptionConfiguration", "s3:PutBucketVersioning",
      "s3:PutLifecycleConfiguration", "s3:PutBucketTagging", "s3:ListBucketVersions", "s3:DeleteObject",
      "s3:DeleteObjectVersion",
    ]
    resources = [local.app_buckets_arn, "${local.app_buckets_arn}/*"]
  }
}

# --- edge: the web ACL on the load balancer and its logs, the ACM certificate and its DNS records -----------------

data "aws_iam_policy_document" "deploy_edge" {
  #checkov:skip=CKV_AWS_111:resource "*" only for log deliveries and log resource policies (no resource-level permissions) and ACM certificates bound by the environment's tags
  #checkov:skip=CKV_AWS_356:resource "*" only for log deliveries, log resource policies and tag-conditioned ACM calls, which AWS cannot scope by ARN
  statement {
    sid = "TheWebAcl"
    actions = [
      "wafv2:CreateWebACL", "wafv2:UpdateWebACL", "wafv2:DeleteWebACL", "wafv2:AssociateWebACL",
      "wafv2:DisassociateWebACL", "wafv2:PutLoggingConfiguration", "wafv2:DeleteLoggingConfiguration",
      "wafv2:TagResource", "wafv2:UntagResource",
    ]
    resources = [
      "${local.arn}:wafv2:${local.region}:${local.account}:regional/webacl/${var.name}/*",
      # The AWS managed rule groups the web ACL references.
      "${local.arn}:wafv2:${local.region}:${local.account}:regional/managedruleset/*/*",
      # Associating the web ACL acts on the load balancer too.
      "${local.arn}:elasticloadbalancing:${local.region}:${local.account}:loadbalancer/app/${var.name}-*/*",
    ]
  }
  statement {
    sid     = "TheWebAclOnTheLoadBalancer"
    actions = ["elasticloadbalancing:SetWebAcl"]
    resources = [
      "${local.arn}:elasticloadbalancing:${local.region}:${local.account}:loadbalancer/app/${var.name}-*/*",
    ]
  }
  statement {
    sid = "TheWebAclsLogGroup"
    actions = [
      "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
      "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup",
      "logs:UntagLogGroup",
    ]
    # WAF delivers only to log groups named aws-waf-logs-*.
    resources = ["${local.arn}:logs:${local.region}:${local.account}:log-group:aws-waf-logs-${var.name}*"]
  }
  statement {
    sid     = "WafLogDelivery"
    actions = ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:PutResourcePolicy", "logs:DeleteResourcePolicy"]
    # Why: log deliveries and the account's log resource policies authorise on no resource (AWS requires "*");
    # what they deliver to is the log group above.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
  }
  statement {
    sid     = "CertificateCreateTagged"
    actions = ["acm:RequestCertificate", "acm:AddTagsToCertificate"]
    # Why: a requested certificate has no ARN yet (AWS requires "*"); the request must tag it as this environment.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    dynamic "condition" {
      for_each = local.request_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
  statement {
    sid     = "CertificatesOfTheEnvironment"
    actions = ["acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"]
    # Why: bound by the certificate's tags; certificate ARNs end in an ID AWS assigns.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    dynamic "condition" {
      for_each = local.resource_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
}

# --- data: the Cognito user pool and its client, the budgets table, the session key's value -----------------------

data "aws_iam_policy_document" "deploy_data" {
  #checkov:skip=CKV_AWS_111:resource "*" only for the user pool's create (no ARN before it exists) under the request's environment tags, and KMS use bound by the key's tags and Secrets Manager
  #checkov:skip=CKV_AWS_356:resource "*" only for CreateUserPool (bound by aws:RequestTag) and for the environment's keys (bound by aws:ResourceTag and kms:ViaService)
  statement {
    sid     = "UserPoolCreateTagged"
    actions = ["cognito-idp:CreateUserPool", "cognito-idp:TagResource"]
    # Why: a user pool has no ARN before it exists (its ID is assigned by Cognito); the request must tag it as
    # this environment.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    dynamic "condition" {
      for_each = local.request_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
  statement {
    sid = "UserPoolsOfTheEnvironment"
    actions = [
      "cognito-idp:UpdateUserPool", "cognito-idp:DeleteUserPool", "cognito-idp:SetUserPoolMfaConfig",
      "cognito-idp:TagResource", "cognito-idp:UntagResource", "cognito-idp:CreateUserPoolClient",
      "cognito-idp:UpdateUserPoolClient", "cognito-idp:DeleteUserPoolClient",
    ]
    # Why: user pool ARNs end in an ID Cognito assigns; bound by the pool's tags (a client's calls act on its pool).
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["${local.arn}:cognito-idp:${local.region}:${local.account}:userpool/*"]
    dynamic "condition" {
      for_each = local.resource_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
  statement {
    sid = "TheBudgetsTable"
    actions = [
      "dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable", "dynamodb:UpdateTimeToLive",
      "dynamodb:UpdateContinuousBackups", "dynamodb:TagResource", "dynamodb:UntagResource",
    ]
    resources = ["${local.arn}:dynamodb:${local.region}:${local.account}:table/${var.name}-*"]
  }
  statement {
    # The AWS provider 5.x writes the session key's value (write-only, from an ephemeral random password) and reads
    # the version back with GetSecretValue on every refresh: on this one secret only, never the OpenAI key's.
    sid = "TheSessionKeysVersions"
    actions = [
      "secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:UpdateSecretVersionStage",
    ]
    resources = ["${local.arn}:secretsmanager:${local.region}:${local.account}:secret:${var.name}/session-secret-*"]
  }
  statement {
    # Secrets Manager encrypts and decrypts that value with the caller's rights: the environment's keys, only
    # through Secrets Manager.
    sid     = "KmsThroughSecretsManager"
    actions = ["kms:GenerateDataKey", "kms:Decrypt"]
    # Why: bound by the key's tags and by kms:ViaService; key ARNs end in an ID AWS assigns.
    #tfsec:ignore:aws-iam-no-policy-wildcards
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
    dynamic "condition" {
      for_each = local.resource_tags
      content {
        test     = "StringEquals"
        variable = condition.value.variable
        values   = [condition.value.value]
      }
    }
  }
}
