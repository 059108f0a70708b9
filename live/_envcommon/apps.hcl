# The apps of the system and the port each listens on, said once: the ecr, images, monitoring and service units
# read this file. A new app is a line here, a live/<env>/<app> unit and its sizes in each env.hcl.
locals {
  apps = {
    frontend = { port = 3000 }
    backend  = { port = 4000 }
  }
}
