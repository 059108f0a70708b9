# State moves for deployments made before the internet-facing ingress rules and the forwarding listeners became
# one resource each, keyed by protocol: the rules and listeners are kept, not replaced (a replacement would
# briefly close the port).
moved {
  from = aws_vpc_security_group_ingress_rule.http
  to   = aws_vpc_security_group_ingress_rule.public["http"]
}
moved {
  from = aws_vpc_security_group_ingress_rule.https[0]
  to   = aws_vpc_security_group_ingress_rule.public["https"]
}
moved {
  from = aws_lb_listener.http_forward[0]
  to   = aws_lb_listener.forward["HTTP"]
}
moved {
  from = aws_lb_listener.https[0]
  to   = aws_lb_listener.forward["HTTPS"]
}
