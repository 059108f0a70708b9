# One Fargate service (the frontend, the backend, or any other app): task definition, its roles (iam.tf),
# service, security group (security.tf), log group (logs.tf), Cloud Map registration and autoscaling
# (service.tf, autoscaling.tf).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  service_name = "${var.name}-${var.service}"

  load_balanced = var.target_group_arn != ""
  discoverable  = var.service_discovery_namespace_id != ""

  # PORT always matches the container port; everything else comes from the caller.
  environment = merge(var.environment, { PORT = tostring(var.container_port) })

  # Node (the apps' runtime) probes its own /healthz; images without node pass health_check_command.
  default_health_check_command = [
    "CMD", "node", "-e",
    "fetch('http://127.0.0.1:${var.container_port}${var.health_check_path}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
  ]

  # Fargate cpu units -> allowed memory (MiB).
  fargate_memory = {
    "256"   = [512, 1024, 2048]
    "512"   = [for gib in range(1, 5) : gib * 1024]
    "1024"  = [for gib in range(2, 9) : gib * 1024]
    "2048"  = [for gib in range(4, 17) : gib * 1024]
    "4096"  = [for gib in range(8, 31) : gib * 1024]
    "8192"  = [for gib in range(16, 61, 4) : gib * 1024]
    "16384" = [for gib in range(32, 121, 8) : gib * 1024]
  }

  container = merge(
    {
      name      = var.service
      image     = var.image
      essential = true
      portMappings = [{
        name          = var.service
        containerPort = var.container_port
        hostPort      = var.container_port
        protocol      = "tcp"
      }]
      environment            = [for key in sort(keys(local.environment)) : { name = key, value = local.environment[key] }]
      readonlyRootFilesystem = var.readonly_root_filesystem
      user                   = "1000:1000"
      stopTimeout            = var.stop_timeout
      # The root filesystem is read-only; /tmp is a per-task writable scratch volume.
      mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
      # An init process reaps zombies and forwards SIGTERM to the app.
      linuxParameters = { initProcessEnabled = true }
      healthCheck = {
        command     = length(var.health_check_command) > 0 ? var.health_check_command : local.default_health_check_command
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = var.health_check_start_period
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = var.service
          # Never block the app on a slow log pipe; a full buffer drops lines instead.
          mode            = "non-blocking"
          max-buffer-size = "4m"
        }
      }
    },
    # Secrets are injected by ECS at start (the execution role reads them); omitted when there are none so
    # the registered definition matches what ECS returns.
    length(var.secrets) > 0 ? { secrets = var.secrets } : {},
  )
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.service_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # Fargate task storage, writable, discarded with the task.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([local.container])

  tags = var.tags

  lifecycle {
    precondition {
      condition     = contains(lookup(local.fargate_memory, tostring(var.cpu), []), var.memory)
      error_message = "memory ${var.memory} MiB is not a Fargate size for cpu ${var.cpu}; allowed: ${join(", ", [for m in lookup(local.fargate_memory, tostring(var.cpu), []) : tostring(m)])} (e.g. cpu 256 with memory 512)."
    }
    precondition {
      condition     = !(var.enable_execute_command && var.readonly_root_filesystem)
      error_message = "ECS Exec needs a writable root filesystem (its SSM agent writes to it): set readonly_root_filesystem = false together with enable_execute_command = true, or leave ECS Exec off."
    }
    precondition {
      condition     = !var.enable_execute_command || local.exec_audited
      error_message = "ECS Exec must be audited: turn on exec_audit_logging in the ecs-cluster module and pass its exec_audit output here, or leave enable_execute_command off."
    }
  }
}
