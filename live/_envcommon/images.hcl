# The images unit, shared by every environment: builds the apps' images (apps.hcl) through a Docker-API
# socket and pushes them, tagged with the git SHA, to the ecr unit's repositories; the service units deploy the
# digests it outputs.
#
# Environment variables:
#   IMAGE_TAG           tag to build (default: `git rev-parse --short=12 HEAD` of this checkout; CI passes its SHA).
#                       Commit before deploying: an unchanged tag builds nothing, and ECR tags are immutable.
#   DOCKER_HOST         Docker-API socket (default unix:///run/podman/podman.sock, from
#                       `podman system service --time=0 unix:///run/podman/podman.sock`).
#   FAS_IMAGE_REGISTRY  push to this local plain-HTTP registry ("host:port") instead of ECR. Against the AWS
#                       emulator (AWS_ENDPOINT_URL set), which serves no registry, it defaults to 127.0.0.1:5000
#                       (Debian's docker-registry default). The Docker-API daemon must treat it as insecure (for
#                       Podman: a registries.conf entry with insecure = true).
#   FAS_IMAGE_SOURCE    "apps" (default): each app's own Dockerfile; "fixture": the module's small offline fixture
#                       (fast); "local": images already built by
#                       scripts/images.sh, named localhost/fargate-ai-stack/<app>:<IMAGE_TAG>-<arch> in the Docker
#                       API's store, tagged and pushed as they are (what `npm start` does: Podman's CLI passes
#                       build secrets such as a proxy's CA bundle, which the Docker API's classic builder cannot).
#   FAS_BASE_IMAGE      base image for the app Dockerfiles (their BASE_IMAGE build argument). Default: the
#                       Dockerfiles' own (the official Node.js image), except against the emulator, where the
#                       project's local base image localhost/fargate-ai-stack/node:20-<arch> is used
#                       (scripts/base-images.sh; no registry access assumed there).
#
# Promoted releases: when live/<env>/release.json exists (written by `npm run promote`, see
# scripts/src/lib/release.ts), the environment deploys the newest release's digests from its own repositories and
# builds nothing. Production is meant to run only promoted releases; without the file it builds from source.
locals {
  env       = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  root      = dirname(find_in_parent_folders("terragrunt.hcl"))
  app_names = keys(read_terragrunt_config("${local.root}/live/_envcommon/apps.hcl").locals.apps)

  emulated  = get_env("AWS_ENDPOINT_URL", "") != ""
  image_tag = run_cmd("--terragrunt-quiet", "sh", "-c", "printf %s \"$${IMAGE_TAG:-$(git -C '${local.root}' rev-parse --short=12 HEAD 2>/dev/null)}\"")
  arch      = split("/", local.env.image_platform)[1]

  release_file = "${get_terragrunt_dir()}/../release.json"
  releases     = fileexists(local.release_file) ? jsondecode(file(local.release_file)).releases : []
  release      = length(local.releases) > 0 ? local.releases[0].images : {}

  local_base_image = "localhost/fargate-ai-stack/node:20-${local.arch}"
  base_image       = get_env("FAS_BASE_IMAGE", local.emulated ? local.local_base_image : "")

  # "apps": each app's own Dockerfile (context: the repository root, for the npm workspaces); "fixture": the
  # module's small offline fixture on the project's local Node.js base image (scripts/base-images.sh); "local":
  # images scripts/images.sh already built, tagged and pushed as they are.
  docker_host = get_env("DOCKER_HOST", "unix:///run/podman/podman.sock")
  registry    = get_env("FAS_IMAGE_REGISTRY", local.emulated ? "127.0.0.1:5000" : "")

  fixture      = "${local.root}/modules/images/tests/fixture"
  image_source = get_env("FAS_IMAGE_SOURCE", "apps")
  from_source  = local.image_source == "apps"
  prebuilt     = local.image_source == "local"
  apps = {
    for app in local.app_names : app => {
      context    = local.prebuilt ? "" : local.from_source ? local.root : local.fixture
      dockerfile = local.from_source ? "${app}/Dockerfile" : "Dockerfile"
      build_args = local.prebuilt ? {} : merge(
        local.from_source ? { REVISION = local.image_tag } : { APP = app, BASE_IMAGE = coalesce(local.base_image, local.local_base_image) },
        local.from_source && local.base_image != "" ? { BASE_IMAGE = local.base_image } : {},
      )
      local_image = local.prebuilt ? "localhost/fargate-ai-stack/${app}:${local.image_tag}-${local.arch}" : ""
    }
  }
}

terraform {
  source = "${dirname(find_in_parent_folders("terragrunt.hcl"))}/modules//images"

  # A missing Docker API or local registry gets a message that says what to start. A promoted release builds
  # nothing, so it needs no Docker API (only the registry, to check its digests).
  # The Docker provider gets its registry login from docker-credential-fas-ecr when it starts (a fresh ECR token,
  # never in state): this run finds it on PATH and asks ECR in the environment's region.
  extra_arguments "registry_credential_helper" {
    commands = ["init", "plan", "apply", "destroy", "refresh", "import"]
    env_vars = {
      PATH           = "${local.root}/scripts/bin:${get_env("PATH")}"
      FAS_ECR_REGION = local.env.region
    }
  }

  before_hook "image_services" {
    commands = ["plan", "apply", "destroy", "refresh"]
    execute  = ["bash", "${local.root}/scripts/image-services-check.sh", length(local.release) > 0 ? "" : local.docker_host, local.registry]
  }
}

# The exact Docker provider version the project tests (scripts/pins.env), for this unit only: the root config
# pins the AWS provider for every unit, and no other unit needs this provider.
generate "docker_provider_version" {
  path      = "docker_versions_override.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOF
    terraform {
      required_providers {
        docker = {
          source  = "kreuzwerker/docker"
          version = "${regex("(?m)^DOCKER_PROVIDER_VERSION=([0-9.]+)$", file("${local.root}/scripts/pins.env"))[0]}"
        }
      }
    }
  EOF
}

dependency "ecr" {
  config_path = "../ecr"

  mock_outputs = {
    repository_urls = {
      frontend = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mock-frontend"
      backend  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mock-backend"
    }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  repository_urls = dependency.ecr.outputs.repository_urls
  # Against the emulator too: its ECR issues the token for the local registry (which ignores it).
  registry_credential_helper = "fas-ecr"
  apps                       = local.apps
  image_tag                  = local.image_tag
  platform                   = local.env.image_platform
  docker_host                = local.docker_host
  registry_override          = local.registry
  release                    = local.release
}

# Podman's image list fails ("image not known") when another process removes an image while the Docker provider
# reads the list; the image is gone, not broken, so the same command run again succeeds. Seen in `npm test`, whose
# lanes share one Podman store; a user who prunes images during an apply meets it too.
errors {
  retry "podman_image_list_race" {
    retryable_errors   = ["(?s).*unable to list Docker images.*image not known.*"]
    max_attempts       = 3
    sleep_interval_sec = 5
  }
}
