# Root Terragrunt configuration, included by every unit as live/<env>/<unit>/terragrunt.hcl.
#
# It generates, for each unit: the AWS provider (region, default tags), the S3 remote state with S3-native
# locking, and the exact provider versions. One switch targets the local AWS emulator: when AWS_ENDPOINT_URL
# is set (the project's scripts set it to moto on 127.0.0.1), the provider and the state backend talk to it;
# unset, the same files target real AWS with your usual credentials.
#
# Run `terragrunt run --all ...` from live/<env>, so this file is never taken for a unit (README: "The root
# terragrunt.hcl").

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals

  app         = "fargate-ai-stack"
  name_prefix = "${local.app}-${local.env.name}"

  endpoint_url = get_env("AWS_ENDPOINT_URL", "")
  emulated     = local.endpoint_url != ""

  # Provider versions are pinned once, in scripts/pins.env, which the setup script also reads.
  aws_provider_version = regex("(?m)^AWS_PROVIDER_VERSION=([0-9.]+)$", file("${get_parent_terragrunt_dir()}/scripts/pins.env"))[0]

  default_tags = {
    app        = local.app
    env        = local.env.name
    managed-by = "terragrunt"
  }

  state_bucket = "${local.app}-tfstate-${get_aws_account_id()}-${local.env.region}"

  # With CI roles (live/<env>/_bootstrap/ci-roles, modules/ci-roles), every role the pipeline creates must carry
  # their permissions boundary: the deploy role may create no other.
  permissions_boundary_arn = local.env.ci_github_repository == "" ? "" : "arn:aws:iam::${get_aws_account_id()}:policy/${local.name_prefix}-ci-boundary"
}

remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket       = local.state_bucket
    key          = "${path_relative_to_include()}/terraform.tfstate"
    region       = local.env.region
    encrypt      = true
    use_lockfile = true
    # Terragrunt creates the bucket on first use with versioning, encryption, TLS-only access and a public
    # access block; it tags it like everything else.
    s3_bucket_tags = local.default_tags
    # The emulator speaks plain HTTP on 127.0.0.1, so the bucket policy that denies non-TLS requests would lock
    # us out there. Real AWS always gets it.
    skip_bucket_enforced_tls = local.emulated
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOF
    provider "aws" {
      region = "${local.env.region}"
    %{if local.emulated~}
      # Emulator mode (AWS_ENDPOINT_URL=${local.endpoint_url}): no virtual-hosted S3 bucket names on 127.0.0.1.
      s3_use_path_style = true
    %{endif~}

      default_tags {
        tags = ${jsonencode(local.default_tags)}
      }
    }
  EOF
}

# Exact provider versions for every unit. Modules accept a range (>= 5.100, < 7); this override picks the one
# the project tests. Lock files are per machine (see README: locally built providers have other checksums).
generate "provider_versions" {
  path      = "versions_override.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOF
    terraform {
      required_providers {
        aws = {
          source  = "hashicorp/aws"
          version = "${local.aws_provider_version}"
        }
      }
    }
  EOF
}

# A unit's backend settings (bucket, region) follow env.hcl, and its .terragrunt-cache remembers those of its last
# init. Against the emulator the state bucket is new on every start, so a changed backend is never state to move:
# re-initialise. Against AWS OpenTofu refuses, rightly, and the hook says what to do.
terraform {
  extra_arguments "emulator_reinit" {
    commands  = ["init"]
    arguments = local.emulated ? ["-reconfigure"] : []
  }

  error_hook "backend_changed" {
    commands  = ["init", "plan", "apply", "destroy", "output", "refresh", "import", "state"]
    on_errors = ["(?s).*Backend configuration changed.*"]
    execute = ["echo", join(" ", [
      "This unit's state backend changed since its last init (e.g. env.hcl's region).",
      "To move its state to the new backend run 'terragrunt init -migrate-state' in the unit;",
      "to use the new backend as it is, without the old state, run 'terragrunt init -reconfigure'.",
    ])]
  }
}

# Inputs every unit gets; each unit's _envcommon file adds its module's own. Variables a module does not
# declare are ignored.
inputs = {
  name                     = local.name_prefix
  env                      = local.env.name
  permissions_boundary_arn = local.permissions_boundary_arn
}
