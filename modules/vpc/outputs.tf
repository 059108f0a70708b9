output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "Availability zones the subnets are spread over, in subnet order."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (load balancer, NAT gateways), one per zone."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (ECS tasks), one per zone."
  value       = aws_subnet.private[*].id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways."
  value       = aws_nat_gateway.this[*].id
}

output "nat_public_ips" {
  description = "Public IPs the private subnets' outbound traffic leaves from (to allow-list at third parties)."
  value       = aws_eip.nat[*].public_ip
}

output "private_route_table_ids" {
  description = "IDs of the private route tables, one per zone (for gateway VPC endpoints)."
  value       = aws_route_table.private[*].id
}

output "flow_log_group_name" {
  description = "CloudWatch log group holding the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}

output "vpc_endpoints_security_group_id" {
  description = "ID of the interface endpoints' security group (the services' egress rules name it); empty without vpc_endpoints."
  value       = var.vpc_endpoints ? aws_security_group.endpoints[0].id : ""
}

output "s3_prefix_list_id" {
  description = "ID of the S3 gateway endpoint's managed prefix list (for 443 egress rules to S3); empty without vpc_endpoints."
  value       = var.vpc_endpoints ? aws_vpc_endpoint.s3[0].prefix_list_id : ""
}

output "vpc_endpoint_ids" {
  description = "IDs of the VPC endpoints by service (\"s3\", \"ecr.api\", ...); empty without vpc_endpoints."
  value       = merge({ for svc, ep in aws_vpc_endpoint.interface : svc => ep.id }, { for ep in aws_vpc_endpoint.s3 : "s3" => ep.id })
}
