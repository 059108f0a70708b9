# State moves for deployments made before the internet-facing ingress rules became one resource keyed by
# protocol: the rules are kept, not replaced (a replacement would briefly close the port).
moved {
  from = aws_vpc_security_group_ingress_rule.http
  to   = aws_vpc_security_group_ingress_rule.public["http"]
}
moved {
  from = aws_vpc_security_group_ingress_rule.https[0]
  to   = aws_vpc_security_group_ingress_rule.public["https"]
}
