terraform {
  # OpenTofu >= 1.8 or Terraform >= 1.8 (mock providers in tests; S3 lock files need 1.10+ in the live config).
  required_version = ">= 1.8.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}
