# Development: cheap. One NAT gateway, one task per service on FARGATE_SPOT, short log retention,
# registries that can be deleted with their images.
locals {
  name   = "dev"
  region = "us-east-1"

  vpc_cidr             = "10.10.0.0/16"
  az_count             = 2
  nat_gateway_strategy = "single"
  log_retention_days   = 7
}
