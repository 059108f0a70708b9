# Plan-time tests with a mocked Docker provider: no socket, registry or credentials needed. The real
# build-and-push path (Podman's Docker API, a local registry, digests compared with what the registry serves)
# is covered by test/infra/images.test.ts.

mock_provider "docker" {
  mock_resource "docker_registry_image" {
    defaults = {
      sha256_digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
    }
  }
  # What the registry serves for a promoted release's tag.
  mock_data "docker_registry_image" {
    defaults = {
      sha256_digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
    }
  }
}

variables {
  docker_host                = "unix:///run/podman/podman.sock"
  image_tag                  = "3f9c2ab71d04"
  registry_credential_helper = "fas-ecr"
  repository_urls = {
    frontend = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend"
    backend  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-backend"
  }
  apps = {
    frontend = { context = "/src/app", dockerfile = "frontend/Dockerfile" }
    backend  = { context = "/src/app", dockerfile = "backend/Dockerfile", build_args = { NODE_ENV = "production" } }
  }
}

run "builds_and_pushes_each_app_to_its_ecr_repository_by_git_sha" {
  command = plan

  assert {
    condition     = docker_image.app["frontend"].name == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend:3f9c2ab71d04"
    error_message = "images must be tagged <repository URL>:<git sha>"
  }
  assert {
    condition     = docker_registry_image.app["backend"].name == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-backend:3f9c2ab71d04"
    error_message = "each app must be pushed to its own repository"
  }
  assert {
    condition = alltrue([for image in docker_image.app : alltrue([for b in image.build :
    b.use_legacy_builder && b.platform == "linux/amd64"])])
    error_message = "builds must use the classic build API (Podman has no BuildKit sessions) for the requested platform"
  }
  assert {
    condition     = one(docker_image.app["backend"].build).build_args == tomap({ NODE_ENV = "production" }) && one(docker_image.app["backend"].build).dockerfile == "backend/Dockerfile"
    error_message = "each app's Dockerfile and build arguments must be passed through"
  }
  assert {
    condition     = alltrue([for image in docker_registry_image.app : image.keep_remotely])
    error_message = "release images must stay in the registry on destroy by default"
  }
  assert {
    condition     = output.registry == "123456789012.dkr.ecr.us-east-1.amazonaws.com"
    error_message = "registry output must be the ECR registry host"
  }
}

run "outputs_pin_images_by_digest" {
  command = apply

  assert {
    condition     = output.image_uris["frontend"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend@sha256:0000000000000000000000000000000000000000000000000000000000000000"
    error_message = "image_uris must be <repository>@<digest>, never a tag"
  }
  assert {
    condition     = output.image_digests["backend"] == "sha256:0000000000000000000000000000000000000000000000000000000000000000"
    error_message = "image_digests must hold the registry's digest"
  }
}

run "registry_override_pushes_the_same_repositories_to_a_local_registry" {
  command = apply

  variables {
    registry_override = "127.0.0.1:5000"
    platform          = "linux/arm64"
  }

  assert {
    condition     = docker_image.app["frontend"].name == "127.0.0.1:5000/fas-test-frontend:3f9c2ab71d04"
    error_message = "with registry_override the repository path stays and the host changes"
  }
  assert {
    condition     = output.image_uris["backend"] == "127.0.0.1:5000/fas-test-backend@sha256:0000000000000000000000000000000000000000000000000000000000000000"
    error_message = "image_uris must point at the registry the images were pushed to"
  }
  assert {
    condition     = one(docker_image.app["backend"].build).platform == "linux/arm64"
    error_message = "platform must follow the variable"
  }
}

run "rejects_an_app_without_a_repository" {
  command = plan

  variables {
    apps = {
      worker = { context = "/src/app" }
    }
  }

  expect_failures = [docker_image.app["worker"]]
}

# One bad value for each input whose validation stands alone; each validation must refuse its value.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    image_tag                  = "latest"                    # a mutable tag
    docker_host                = "/run/podman/podman.sock"   # no scheme
    registry_override          = "http://127.0.0.1:5000"     # a scheme where host:port belongs
    platform                   = "linux/386"                 # a platform Fargate does not run
    registry_credential_helper = "docker-credential-fas-ecr" # the program's name, not the helper's
    # A repository URL with a tag, and a context relative to nothing.
    repository_urls = { frontend = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend:latest" }
    apps            = { frontend = { context = "frontend" } }
  }

  expect_failures = [var.image_tag, var.docker_host, var.registry_override, var.platform, var.registry_credential_helper, var.repository_urls, var.apps]
}

# ECR refuses anonymous pushes: without a credential helper the plan says which to name.
run "pushing_to_ecr_needs_a_credential_helper" {
  command = plan

  variables {
    registry_credential_helper = ""
  }

  expect_failures = [docker_registry_image.app]
}

run "a_promoted_release_deploys_its_digests_and_builds_nothing" {
  command = apply

  variables {
    release = {
      frontend = { tag = "3f9c2ab71d04", digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111" }
      backend  = { tag = "3f9c2ab71d04", digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111" }
    }
  }

  assert {
    condition     = length(docker_image.app) == 0 && length(docker_registry_image.app) == 0
    error_message = "a promoted release must not build or push anything"
  }
  assert {
    condition     = output.image_uris["backend"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-backend@sha256:1111111111111111111111111111111111111111111111111111111111111111"
    error_message = "a promoted release must deploy the promoted digests from this environment's repositories"
  }
  assert {
    condition     = data.docker_registry_image.release["frontend"].name == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend:3f9c2ab71d04"
    error_message = "the release tag must be looked up in this environment's repository"
  }
}

run "rejects_a_release_whose_tag_serves_another_digest" {
  command = plan

  variables {
    release = {
      frontend = { tag = "3f9c2ab71d04", digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222" }
      backend  = { tag = "3f9c2ab71d04", digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111" }
    }
  }

  expect_failures = [data.docker_registry_image.release["frontend"]]
}

run "rejects_a_release_missing_an_app" {
  command = plan

  variables {
    release = {
      frontend = { tag = "3f9c2ab71d04", digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111" }
    }
  }

  expect_failures = [var.release]
}

run "rejects_a_release_digest_that_is_not_sha256" {
  command = plan

  variables {
    release = {
      frontend = { tag = "3f9c2ab71d04", digest = "latest" }
      backend  = { tag = "3f9c2ab71d04", digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111" }
    }
  }

  expect_failures = [var.release]
}

run "pushes_an_image_built_elsewhere_under_the_repository_name" {
  command = apply

  # As npm start does: a tag from the build inputs' content (scripts/images.sh --tag source).
  variables {
    image_tag = "src-81b2cd072273"
    apps = {
      frontend = { local_image = "localhost/fargate-ai-stack/frontend:src-81b2cd072273-amd64" }
      backend  = { context = "/src/app", dockerfile = "backend/Dockerfile" }
    }
  }

  assert {
    condition     = docker_tag.app["frontend"].target_image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend:src-81b2cd072273" && docker_tag.app["frontend"].source_image == "localhost/fargate-ai-stack/frontend:src-81b2cd072273-amd64"
    error_message = "a local image must be tagged <repository URL>:<image_tag>"
  }
  assert {
    condition     = length(docker_image.app) == 1 && contains(keys(docker_image.app), "backend")
    error_message = "only apps with a build context are built"
  }
  assert {
    condition     = docker_registry_image.app["frontend"].name == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend:src-81b2cd072273"
    error_message = "a tagged local image must be pushed like a build"
  }
  assert {
    condition     = output.image_uris["frontend"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend@sha256:0000000000000000000000000000000000000000000000000000000000000000"
    error_message = "a pushed local image must be deployed by its digest"
  }
}

run "rejects_an_app_with_both_a_context_and_a_local_image" {
  command = plan

  variables {
    apps = {
      frontend = { context = "/src/app", local_image = "localhost/fargate-ai-stack/frontend:3f9c2ab71d04" }
    }
  }

  expect_failures = [var.apps]
}
