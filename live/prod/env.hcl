# Production: resilient. A NAT gateway per zone, at least two tasks spread over zones, longer retention,
# deletion protection.
locals {
  name   = "prod"
  region = "us-east-1"

  vpc_cidr             = "10.20.0.0/16"
  az_count             = 3
  nat_gateway_strategy = "one_per_az"
  log_retention_days   = 90
}
