# --- Registry -------------------------------------------------------------------------------------------------

variable "repository_urls" {
  description = "Repository URL by app (ecr unit output repository_urls), e.g. { frontend = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/fargate-ai-stack-dev-frontend\" }."
  type        = map(string)
  nullable    = false

  validation {
    condition     = length(var.repository_urls) > 0 && alltrue([for url in values(var.repository_urls) : can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+$", url))])
    error_message = "repository_urls must map each app to \"<registry host>/<repository>\", e.g. { frontend = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/fargate-ai-stack-dev-frontend\" }."
  }
}

variable "registry_credential_helper" {
  description = "Docker credential helper the provider gets the registry's login from when it starts, named as in a Docker config's credHelpers (runs docker-credential-<name> from PATH): \"fas-ecr\" (this project's scripts/bin/docker-credential-fas-ecr, a fresh ECR token from the caller's AWS credentials) or \"ecr-login\" (AWS's amazon-ecr-credential-helper). Nothing of the login enters state. Empty: no credentials (a local registry that needs none); ECR needs one."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = can(regex("^([a-z0-9][a-z0-9._-]*)?$", var.registry_credential_helper)) && !startswith(var.registry_credential_helper, "docker-credential-")
    error_message = "registry_credential_helper must be empty or a credential helper's name as Docker spells it (docker-credential-<name> on PATH), e.g. \"fas-ecr\" or \"ecr-login\"."
  }
}

variable "registry_override" {
  description = "Push to this plain-HTTP registry (\"host:port\", e.g. \"127.0.0.1:5000\") instead of ECR, under the same repository names: for the AWS emulator, which serves no registry. Empty (the default): ECR."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.registry_override == "" || can(regex("^[a-z0-9.-]+:[0-9]{1,5}$", var.registry_override))
    error_message = "registry_override must be empty (push to ECR) or \"host:port\" of a local registry, e.g. \"127.0.0.1:5000\"."
  }
}

# --- Build ----------------------------------------------------------------------------------------------------

variable "apps" {
  description = "What to push by app (same keys as repository_urls): a build (context directory, Dockerfile path relative to it, build arguments), or an image already in the Docker API's local store (local_image, e.g. built by scripts/images.sh), which is tagged and pushed as it is."
  type = map(object({
    context     = optional(string, "")
    dockerfile  = optional(string, "Dockerfile")
    build_args  = optional(map(string), {})
    local_image = optional(string, "")
  }))
  nullable = false

  validation {
    condition     = length(var.apps) > 0 && alltrue([for app in values(var.apps) : (app.local_image == "") != (app.context == "") && (app.context == "" || startswith(app.context, "/"))])
    error_message = "apps must give each app either an absolute context directory or a local_image (not both), e.g. { frontend = { context = \"/src/fargate-ai-stack\", dockerfile = \"frontend/Dockerfile\" } } or { frontend = { local_image = \"localhost/fargate-ai-stack/frontend:3f9c2ab71d04\" } }."
  }
}

variable "image_tag" {
  description = "Tag of the images, naming their content: the git commit SHA they are built from (7-40 lowercase hex digits), e.g. \"3f9c2ab71d04\", or a tag derived from the build inputs' content (`scripts/images.sh --print-source-tag`), e.g. \"src-81b2cd072273\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^([0-9a-f]{7,40}|src-[0-9a-f]{12})$", var.image_tag))
    error_message = "image_tag must be a git commit SHA of 7 to 40 lowercase hex digits (e.g. \"3f9c2ab71d04\" from `git rev-parse --short=12 HEAD`) or a source tag such as \"src-81b2cd072273\" (scripts/images.sh --print-source-tag); mutable names like \"latest\" are refused."
  }
}

variable "platform" {
  description = "Target platform of the images; must match the ECS task definitions' CPU architecture: \"linux/amd64\" (X86_64) or \"linux/arm64\" (ARM64)."
  type        = string
  default     = "linux/amd64"
  nullable    = false

  validation {
    condition     = contains(["linux/amd64", "linux/arm64"], var.platform)
    error_message = "platform must be \"linux/amd64\" or \"linux/arm64\" (Fargate's CPU architectures)."
  }
}

variable "docker_host" {
  description = "Docker-API socket that builds and pushes, e.g. \"unix:///run/podman/podman.sock\" (from `podman system service --time=0 unix:///run/podman/podman.sock`) or \"unix:///var/run/docker.sock\"."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^(unix:///.+|tcp://[^/]+|ssh://.+)$", var.docker_host))
    error_message = "docker_host must be a unix://, tcp:// or ssh:// address, e.g. \"unix:///run/podman/podman.sock\"."
  }
}

# --- Promoted release -----------------------------------------------------------------------------------------

variable "release" {
  description = "A promoted release to deploy instead of building: image tag and manifest digest by app, e.g. { frontend = { tag = \"3f9c2ab71d04\", digest = \"sha256:...\" } }, as written by `npm run promote`. The images must already be in this environment's repositories. Empty (the default): build from source."
  type = map(object({
    tag    = string
    digest = string
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for image in values(var.release) : can(regex("^sha256:[0-9a-f]{64}$", image.digest)) && can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", image.tag))])
    error_message = "release must give each app a tag and a \"sha256:<64 hex digits>\" digest, e.g. { backend = { tag = \"3f9c2ab71d04\", digest = \"sha256:4a5b...\" } }."
  }
  validation {
    condition     = length(var.release) == 0 || length(setsubtract(keys(var.repository_urls), keys(var.release))) == 0
    error_message = "release must name a digest for every app in repository_urls, or be empty to build from source."
  }
}

# --- Image lifecycle ------------------------------------------------------------------------------------------

variable "keep_remotely" {
  description = "Leave pushed images in the registry on destroy (default: running services may still use them; the ECR lifecycle policy expires old ones)."
  type        = bool
  default     = true
  nullable    = false
}

variable "keep_locally" {
  description = "Leave built images in the local image store on destroy (default). Podman's image listing fails when another image disappears while it lists, which makes the provider's local removal flaky under concurrent builds; prune the local store with `podman image prune` instead."
  type        = bool
  default     = true
  nullable    = false
}
