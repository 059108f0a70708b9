# Plan-time tests with the real AWS provider, offline: nothing is created and no credentials are needed, and
# aws_iam_policy_document renders the policies locally, so their content is asserted as AWS would get it. The
# evaluations of conditions and boundaries that the emulator cannot make are in test/infra/ci-roles.test.ts.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/admin" }
}

# The OIDC provider's ARN is known only after apply: give it one so the trust policies render at plan time.
override_resource {
  target = aws_iam_openid_connect_provider.github
  values = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}

variables {
  name                   = "fas-test"
  resource_tags          = { app = "fas", env = "test" }
  state_bucket           = "fas-tfstate-123456789012-us-east-1"
  state_key_prefix       = "live/test/"
  bootstrap_state_prefix = "live/test/_bootstrap/"
  github_repository      = "example-org/fargate-ai-stack"
}

run "plan_role_only_by_default" {
  command = plan

  assert {
    condition     = keys(aws_iam_role.ci) == ["plan"] && aws_iam_role.ci["plan"].name == "fas-test-ci-plan"
    error_message = "by default only the plan role (for pull requests) exists"
  }
  assert {
    condition     = output.deploy_role_arn == null && output.release_role_arn == null
    error_message = "no deploy or release role without their subjects"
  }
  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "without an existing provider ARN the module creates GitHub's OIDC provider for sts.amazonaws.com"
  }
  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.trust["plan"].json).Statement : [s.Sid, s.Action, s.Condition]] == [[
      "GitHubActionsOfOneRepository", "sts:AssumeRoleWithWebIdentity", { StringEquals = {
        "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
        "token.actions.githubusercontent.com:sub" = "repo:example-org/fargate-ai-stack:pull_request"
      } }
    ]]
    error_message = "the plan role trusts exactly the repository's pull_request tokens, and no test principal by default"
  }
}

run "three_roles_each_with_the_boundary" {
  command = plan

  variables {
    deploy_subjects          = ["ref:refs/heads/main"]
    release_subjects         = ["environment:prod"]
    github_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    promotion_source         = { name = "fas-source", state_key_prefix = "live/source/" }
  }

  assert {
    condition     = keys(aws_iam_role.ci) == ["deploy", "plan", "release"] && length(aws_iam_openid_connect_provider.github) == 0
    error_message = "three roles, trusting the given OIDC provider"
  }
  assert {
    condition     = alltrue([for r in aws_iam_role.ci : r.permissions_boundary == "arn:aws:iam::123456789012:policy/fas-test-ci-boundary"])
    error_message = "every CI role carries the permissions boundary"
  }
  assert {
    condition = [for r in ["deploy", "release"] : jsondecode(data.aws_iam_policy_document.trust[r].json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]] == [
      "repo:example-org/fargate-ai-stack:ref:refs/heads/main", "repo:example-org/fargate-ai-stack:environment:prod",
    ]
    error_message = "deploy trusts main, release the prod environment: exact subjects (StringEquals)"
  }
  assert {
    condition     = keys(aws_iam_policy.deploy) == ["control", "data", "edge", "network", "runtime"] && alltrue([for d in values(local.deploy_documents) : length(jsonencode(jsondecode(d))) <= 6144])
    error_message = "the deploy rights come in five managed policies, each within 6,144 characters"
  }
  assert {
    condition = alltrue([for d in concat(values(local.deploy_documents), [data.aws_iam_policy_document.read.json, data.aws_iam_policy_document.release.json]) :
      alltrue([for s in jsondecode(d).Statement : alltrue([for a in flatten([s.Action]) : a != "*" && !endswith(a, ":*")]) if s.Effect == "Allow"])
    ])
    error_message = "no role policy allows \"*\" or \"service:*\" (only the boundary, a ceiling, names whole services)"
  }
  # Resource "*" only for describe/list, for actions without resource-level permissions, or under tag conditions.
  assert {
    condition = alltrue([for d in concat(values(local.deploy_documents), [data.aws_iam_policy_document.read.json, data.aws_iam_policy_document.release.json]) :
      alltrue([for s in jsondecode(d).Statement :
        can(s.Condition) || alltrue([for a in flatten([s.Action]) : can(regex(":(Describe|List|Get(Key|Role|Policy|Open|Resource|Lifecycle|Repository|Dashboard|Topic|Subscription|Namespace|Service|Operation|Hosted|Change|WebACL|LoggingConfiguration|UserPoolMfaConfig$|RandomPassword$)|CreateLogDelivery$|DeleteLogDelivery$|PutResourcePolicy$|DeleteResourcePolicy$|RegisterTaskDefinition$|DeregisterTaskDefinition$|TagResource$|GetAuthorizationToken$|CreateKey$|CreatePrivateDnsNamespace$|CreateHostedZone$|DeleteHostedZone$|ChangeResourceRecordSets$|AssociateVPCWithHostedZone$|CreateService$|UpdateService$|DeleteService$|DeleteNamespace$|UntagResource$|RegisterScalableTarget$|DeregisterScalableTarget$|PutScalingPolicy$|DeleteScalingPolicy$)", a))])
        if s.Effect == "Allow" && flatten([s.Resource]) == ["*"]
      ])
    ])
    error_message = "an Allow on resource \"*\" without a condition must be a describe/list or an action without resource-level permissions"
  }
  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.deploy_control.json).Statement : s.Condition if s.Sid == "RolesOnlyWithTheBoundary"][0] == { StringEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::123456789012:policy/fas-test-ci-boundary" } }
    error_message = "the deploy role creates and changes roles only with the boundary attached"
  }
  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.deploy_control.json).Statement : s.Resource if s.Sid == "RolesOnlyWithTheBoundary"][0] == "arn:aws:iam::123456789012:role/fas-test-*"
    error_message = "the deploy role creates only roles with the environment's name prefix"
  }
  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.boundary.json).Statement : s.Condition if s.Sid == "NoRoleWithoutThisBoundary"][0] == { StringNotEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::123456789012:policy/fas-test-ci-boundary" } }
    error_message = "the boundary itself denies creating a role without it"
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.read.json).Statement : s.Resource if s.Sid == "ReadTheStates"])) == toset(["arn:aws:s3:::fas-tfstate-123456789012-us-east-1/live/test/*", "arn:aws:s3:::fas-tfstate-123456789012-us-east-1/live/source/*"])
    error_message = "the roles read the environment's states (and the promotion source's)"
  }
  assert {
    condition     = flatten([for s in jsondecode(data.aws_iam_policy_document.deploy_control.json).Statement : s.Resource if s.Sid == "WriteStatesAndLocks"]) == ["arn:aws:s3:::fas-tfstate-123456789012-us-east-1/live/test/*"]
    error_message = "the deploy role writes only the environment's states and lock files"
  }
  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.deploy_control.json).Statement : s if s.Sid == "NotTheCiRolesOrTheBootstrapState"][0].Effect == "Deny"
    error_message = "the deploy role is denied the CI roles and the bootstrap's state"
  }
  # The evaluation a pull request's plan role gets: no Allow anywhere matches these actions, and a Deny does.
  assert {
    condition = alltrue([for action in ["secretsmanager:GetSecretValue", "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "kms:Decrypt", "s3:PutObject"] :
      !anytrue([for s in jsondecode(data.aws_iam_policy_document.read.json).Statement : anytrue([for a in flatten([s.Action]) : can(regex("^${replace(a, "*", ".*")}$", action))])]) &&
      anytrue([for s in jsondecode(data.aws_iam_policy_document.plan_denies.json).Statement : s.Effect == "Deny" && contains(flatten([s.Action]), action)])
    ])
    error_message = "the plan role must never read a secret's value, get a registry token, pull an image or write state"
  }
  assert {
    condition = alltrue([for d in values(local.deploy_documents) : alltrue([for s in jsondecode(d).Statement :
      flatten([s.Resource]) == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:fas-test/session-secret-*"]
      if contains(flatten([s.Action]), "secretsmanager:GetSecretValue") || contains(flatten([s.Action]), "secretsmanager:PutSecretValue")
    ])])
    error_message = "the deploy role manages the OpenAI key's container, never its value: it writes and reads back only the session key (provider 5.x refreshes a version with GetSecretValue)"
  }
  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.deploy_data.json).Statement : s.Condition if s.Sid == "UserPoolsOfTheEnvironment"][0] == { StringEquals = { "aws:ResourceTag/app" = "fas", "aws:ResourceTag/env" = "test" } } && [for s in jsondecode(data.aws_iam_policy_document.deploy_data.json).Statement : s.Condition if s.Sid == "UserPoolCreateTagged"][0] == { StringEquals = { "aws:RequestTag/app" = "fas", "aws:RequestTag/env" = "test" } }
    error_message = "the deploy role creates user pools only tagged as the environment and changes only the environment's"
  }
  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.deploy_data.json).Statement : s.Resource if s.Sid == "TheBudgetsTable"][0] == "arn:aws:dynamodb:us-east-1:123456789012:table/fas-test-*"
    error_message = "the deploy role manages only tables with the environment's name prefix"
  }
  assert {
    condition     = alltrue([for service in ["cognito-idp:*", "dynamodb:*"] : contains(flatten([for s in jsondecode(data.aws_iam_policy_document.boundary.json).Statement : s.Action if s.Sid == "TheServicesOfTheStack"]), service)])
    error_message = "the boundary must let the deploy role manage user pools and tables, and the backend's task role count its tokens"
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.release.json).Statement : s.Resource if s.Sid == "PullThePromotedImages"])) == toset(["arn:aws:ecr:us-east-1:123456789012:repository/fas-source-*", "arn:aws:ecr:us-east-1:123456789012:repository/fas-source/*"])
    error_message = "the release role pulls from the promotion source's repositories"
  }
}

run "test_principals_only_when_given" {
  command = plan

  variables {
    test_trusted_principal_arns = ["arn:aws:iam::123456789012:user/ci-roles-test"]
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust["plan"].json).Statement[1] == { Sid = "TestPrincipals", Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::123456789012:user/ci-roles-test" } }
    error_message = "a test principal is trusted with sts:AssumeRole in a statement of its own"
  }
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    name                        = "Bad_Name"                                            # not lowercase
    resource_tags               = { app = "*" }                                         # a wildcard tag value
    state_bucket                = "Bad_Bucket"                                          # not an S3 bucket name
    state_key_prefix            = "live/*"                                              # wildcard, no trailing /
    bootstrap_state_prefix      = "live/dev/_bootstrap"                                 # no trailing /
    github_repository           = "fargate-ai-stack"                                    # no owner
    github_oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/example.com" # not GitHub's provider
    deploy_subjects             = ["pull_request"]                                      # a pull request could deploy
    release_subjects            = ["ref:refs/heads/*"]                                  # any branch
    plan_subjects               = ["*"]                                                 # any run
    test_trusted_principal_arns = ["arn:aws:iam::123456789012:user/*"]                  # every user
    promotion_source            = { name = "Bad", state_key_prefix = "live/dev" }       # bad name and prefix
  }

  expect_failures = [
    var.name, var.resource_tags, var.state_bucket, var.state_key_prefix, var.bootstrap_state_prefix,
    var.github_repository, var.github_oidc_provider_arn, var.deploy_subjects, var.release_subjects,
    var.plan_subjects, var.test_trusted_principal_arns, var.promotion_source,
  ]
}

run "deploy_and_release_refuse_wildcards_in_environments" {
  command = plan

  variables {
    deploy_subjects  = ["environment:*"]
    release_subjects = ["environment:prod", "pull_request"]
  }

  expect_failures = [var.deploy_subjects, var.release_subjects]
}
