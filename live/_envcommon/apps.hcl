# The apps of the system and the port each listens on, said once: the ecr, images, ecs-cluster and service units
# read this file. A new app is a line here, a live/<env>/<app> unit and its sizes in each env.hcl; the monitoring
# unit reads each service unit's outputs, so it names it in a dependency block too.
locals {
  apps = {
    frontend = { port = 3000 }
    backend  = { port = 4000 }
  }
}
