terraform {
  # OpenTofu >= 1.11 or Terraform >= 1.11: the session key is written from an ephemeral resource into a write-only
  # attribute, so that it never enters plans or state.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}
