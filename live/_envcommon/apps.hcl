# The apps of the system, the port each listens on and whether it calls the internet, said once: the ecr, images,
# ecs-cluster and service units read this file. A new app is a line here, a live/<env>/<app> unit and its sizes in
# each env.hcl; the monitoring unit reads each service unit's outputs, so it names it in a dependency block too.
#
# internet: the app itself calls something outside AWS (the backend: the OpenAI API), so its tasks keep HTTPS
# egress to anywhere through the NAT gateway. An app without it (the frontend: it only needs ECR pulls and
# CloudWatch Logs) gets no 0.0.0.0/0 rule when the environment has VPC endpoints (env.hcl's vpc_endpoints); see
# _envcommon/ecs-service.hcl. (ECS Exec would need an ssmmessages endpoint there too: the vpc module has none.)
locals {
  apps = {
    frontend = { port = 3000, internet = false }
    backend  = { port = 4000, internet = true }
  }
}
