# Builds the app images through a Docker-API socket (Docker, or Podman's `podman system service`) and pushes
# them to their ECR repositories, tagged with the git SHA. Services deploy by the digest the registry returns,
# never by a tag.
#
# Registry credentials come from a Docker credential helper the provider runs when it starts (for ECR a 12-hour
# token with push rights): provider configuration is never stored, so no token lands in state, unlike an
# aws_ecr_authorization_token data source would. With registry_override (emulator mode: moto serves no registry),
# the same repository names are pushed to a local plain-HTTP registry instead.

locals {
  use_ecr = var.registry_override == ""

  # Repository (without tag) by app: the ECR URL, or the same repository path on the override registry.
  repositories = {
    for app, url in var.repository_urls : app => (
      local.use_ecr ? url : "${var.registry_override}/${join("/", slice(split("/", url), 1, length(split("/", url))))}"
    )
  }
  registry_host = local.use_ecr ? split("/", values(var.repository_urls)[0])[0] : var.registry_override

  # A promoted release deploys images that already exist in the registry: nothing is built.
  promoted = length(var.release) > 0
  apps     = local.promoted ? {} : { for app, build in var.apps : app => merge(build, { repository = lookup(local.repositories, app, "") }) }
  builds   = { for app, build in local.apps : app => build if build.local_image == "" }
  prebuilt = { for app, build in local.apps : app => build if build.local_image != "" }
}

provider "docker" {
  host = var.docker_host

  registry_auth {
    # ECR over HTTPS, or the override's plain HTTP. With a helper, a Docker config naming it for this registry
    # (no secret in it); without one, no credentials at all.
    address             = local.use_ecr ? "https://${local.registry_host}" : "http://${var.registry_override}"
    config_file_content = var.registry_credential_helper == "" ? null : jsonencode({ credHelpers = { (local.registry_host) = var.registry_credential_helper } })
    auth_disabled       = var.registry_credential_helper == ""
  }
}

resource "docker_image" "app" {
  for_each = local.builds

  # The tag changes with every commit, which replaces the image; an unchanged commit builds nothing.
  name         = "${each.value.repository}:${var.image_tag}"
  keep_locally = var.keep_locally

  build {
    context    = each.value.context
    dockerfile = each.value.dockerfile
    build_args = each.value.build_args
    platform   = var.platform
    # Podman's Docker-compatible API has no BuildKit sessions; the classic build endpoint works with both.
    use_legacy_builder = true
    labels = {
      "org.opencontainers.image.revision" = var.image_tag
    }
  }

  lifecycle {
    precondition {
      condition     = each.value.repository != ""
      error_message = "app \"${each.key}\" has no repository in repository_urls."
    }
  }
}

# An image built elsewhere (e.g. by scripts/images.sh with Podman, which passes build secrets the Docker API
# cannot): tagged with the repository name and the git SHA, then pushed like a build.
resource "docker_tag" "app" {
  for_each = local.prebuilt

  source_image = each.value.local_image
  target_image = "${each.value.repository}:${var.image_tag}"

  lifecycle {
    precondition {
      condition     = each.value.repository != ""
      error_message = "app \"${each.key}\" has no repository in repository_urls."
    }
  }
}

locals {
  # Name and local image ID of everything to push, built or tagged.
  to_push = merge(
    { for app, image in docker_image.app : app => { name = image.name, image_id = image.image_id } },
    { for app, tag in docker_tag.app : app => { name = tag.target_image, image_id = tag.source_image_id } },
  )
}

resource "docker_registry_image" "app" {
  for_each = local.to_push

  name = each.value.name
  # Release images stay in the registry after a destroy by default: running services may still use them, and
  # the ECR lifecycle policy expires old ones.
  keep_remotely = var.keep_remotely

  # A rebuilt local image (new image ID) is pushed again.
  triggers = {
    image_id = each.value.image_id
  }

  lifecycle {
    precondition {
      condition     = !local.use_ecr || var.registry_credential_helper != ""
      error_message = "pushing to ECR needs registry_credential_helper: \"fas-ecr\" (this project's, scripts/bin/docker-credential-fas-ecr on PATH) or \"ecr-login\" (AWS's amazon-ecr-credential-helper)."
    }
  }
}

# A promoted release: the registry must serve exactly the promoted digest under the release tag (the promote
# command copied it there), else the environment would deploy something nobody tested.
data "docker_registry_image" "release" {
  for_each = var.release

  name = "${local.repositories[each.key]}:${each.value.tag}"

  lifecycle {
    postcondition {
      condition     = self.sha256_digest == each.value.digest
      error_message = "the registry serves ${self.sha256_digest} for ${local.repositories[each.key]}:${each.value.tag}, not the promoted ${each.value.digest}: run the promote command again (it copies the images)."
    }
  }
}
