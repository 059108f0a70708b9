# Plan-time tests with a mocked AWS provider: no credentials or emulator needed. The repository policy's content
# is checked in policies.tftest.hcl (the mocked provider cannot render policy documents); the key and its policy
# once, in modules/kms-key.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
      key_id = "00000000-0000-0000-0000-000000000000"
    }
  }
  mock_resource "aws_ecr_repository" {
    defaults = {
      registry_id = "123456789012"
    }
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

run "rejects_a_wildcard_principal" {
  command = plan

  variables {
    pull_principal_arns = ["*"]
  }

  expect_failures = [var.pull_principal_arns]
}

run "rejects_duplicate_repositories" {
  command = plan

  variables {
    repositories = ["frontend", "frontend"]
  }

  expect_failures = [var.repositories]
}

run "rejects_zero_release_images" {
  command = plan

  variables {
    keep_release_images = 0
  }

  expect_failures = [var.keep_release_images]
}

run "rejects_fractional_expiry" {
  command = plan

  variables {
    untagged_expire_days = 1.5
  }

  expect_failures = [var.untagged_expire_days]
}

run "rejects_a_bad_name" {
  command = plan

  variables {
    name = "Bad_Name"
  }

  expect_failures = [var.name]
}
