# Plan-time tests with the real AWS provider, offline: nothing is created and no credentials are needed, and
# aws_iam_policy_document renders the repository policy locally, so its content is asserted as AWS would get it.
# The key module is overridden (the key and its policy are tested once, in modules/kms-key); so is the one
# attribute an assertion reads that only AWS would know.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_module {
  target = module.kms_key
  outputs = {
    key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

override_resource {
  target = aws_ecr_repository.this
  values = {
    registry_id = "123456789012"
  }
}

variables {
  name = "fas-test"
}

run "a_locked_down_repository_per_app" {
  command = plan

  assert {
    condition     = toset([for r in aws_ecr_repository.this : r.name]) == toset(["fas-test-frontend", "fas-test-backend"])
    error_message = "expected one repository per app named <name>-<app>"
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_tag_mutability == "IMMUTABLE"])
    error_message = "tags must be immutable"
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_scanning_configuration[0].scan_on_push])
    error_message = "images must be scanned on push"
  }
  assert {
    condition     = length(module.kms_key) == 1 && alltrue([for r in aws_ecr_repository.this : r.encryption_configuration[0].encryption_type == "KMS" && r.encryption_configuration[0].kms_key == module.kms_key[0].key_arn])
    error_message = "repositories must be encrypted with the module's own customer-managed key (modules/kms-key: rotation on)"
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.force_delete == false])
    error_message = "repositories holding images must not be deleted by default"
  }
  assert {
    condition     = length(aws_ecr_repository_policy.this) == 0
    error_message = "without principals there is no repository policy"
  }
}

run "lifecycle_keeps_releases_and_expires_untagged" {
  command = plan

  variables {
    keep_release_images  = 5
    untagged_expire_days = 2
  }

  assert {
    condition = jsondecode(aws_ecr_lifecycle_policy.this["frontend"].policy).rules[0].selection == {
      tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 2
    }
    error_message = "untagged images must expire after untagged_expire_days"
  }
  assert {
    condition = jsondecode(aws_ecr_lifecycle_policy.this["backend"].policy).rules[1].selection == {
      tagStatus = "tagged", tagPatternList = ["*"], countType = "imageCountMoreThan", countNumber = 5
    }
    error_message = "only the last keep_release_images tagged images may be kept"
  }
}

run "principals_get_a_repository_policy" {
  command = plan

  variables {
    pull_principal_arns = ["arn:aws:iam::123456789012:role/fas-test-ecs-execution"]
    push_principal_arns = ["arn:aws:iam::123456789012:role/fas-test-ci-deploy"]
    force_delete        = true
  }

  assert {
    condition     = length(aws_ecr_repository_policy.this) == 2
    error_message = "every repository needs the pull/push policy"
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.force_delete])
    error_message = "force_delete must follow the variable"
  }
  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement : s.Principal if s.Sid == "PullByTheTaskExecutionRole"][0] == {
      AWS = "arn:aws:iam::123456789012:role/fas-test-ecs-execution"
    }
    error_message = "only the execution role may pull"
  }
  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement : s.Principal if s.Sid == "PushByTheDeployRole"][0] == {
      AWS = "arn:aws:iam::123456789012:role/fas-test-ci-deploy"
    }
    error_message = "only the deploy role may push"
  }
  assert {
    condition = !contains(flatten([
      for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement : s.Action if s.Sid == "PullByTheTaskExecutionRole"
    ]), "ecr:PutImage")
    error_message = "pullers must not be able to push"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement :
      alltrue([for a in flatten([s.Action]) : a != "*" && a != "ecr:*"])
    ])
    error_message = "the repository policy must spell out its actions"
  }
}

run "no_push_statement_without_a_deploy_role" {
  command = plan

  variables {
    pull_principal_arns = ["arn:aws:iam::123456789012:role/fas-test-ecs-execution"]
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.repository.json).Statement : s.Sid] == ["PullByTheTaskExecutionRole"]
    error_message = "without a CI role only the pull statement remains"
  }
}

run "outputs_by_app" {
  command = plan

  assert {
    condition     = output.registry_id == "123456789012"
    error_message = "registry_id must be the account's registry"
  }
  assert {
    condition     = keys(output.repository_names) == ["backend", "frontend"]
    error_message = "outputs must be maps keyed by app"
  }
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    name                 = "Bad_Name"               # not lowercase
    pull_principal_arns  = ["*"]                    # a wildcard, not a role
    repositories         = ["frontend", "frontend"] # the same app twice
    keep_release_images  = 0                        # would expire every release
    untagged_expire_days = 1.5                      # not a whole number of days
  }

  expect_failures = [var.name, var.pull_principal_arns, var.repositories, var.keep_release_images, var.untagged_expire_days]
}

