terraform {
  # OpenTofu >= 1.10 or Terraform >= 1.10 (`removed` blocks with lifecycle in migrations.tf; S3 lock files).
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}
