output "image_uris" {
  description = "Image by app, pinned by digest: { frontend = `<registry>/`<repository>`@sha256:<digest>` }. Services deploy these, never a tag."
  value = local.promoted ? { for app, image in data.docker_registry_image.release : app => "${local.repositories[app]}@${image.sha256_digest}" } : {
    for app, image in docker_registry_image.app : app => "${local.repositories[app]}@${image.sha256_digest}"
  }
}

output "image_digests" {
  description = "Manifest digest by app, as the registry serves it (\"sha256:...\")."
  value       = local.promoted ? { for app, image in data.docker_registry_image.release : app => image.sha256_digest } : { for app, image in docker_registry_image.app : app => image.sha256_digest }
}

output "image_tags" {
  description = "Tagged image name by app (`<registry>/`<repository>`:<git sha>`), for humans; deploy by image_uris."
  value       = local.promoted ? { for app, image in var.release : app => "${local.repositories[app]}:${image.tag}" } : { for app, image in docker_registry_image.app : app => image.name }
}

output "registry" {
  description = "Registry host the images were pushed to (the ECR registry, or registry_override)."
  value       = local.registry_host
}
