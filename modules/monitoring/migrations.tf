# The alarms and the notification topic left this module (OpenTofu >= 1.10 or Terraform >= 1.7 for `removed`).
# Their state entries are forgotten, not destroyed:
# - The services' CPU, memory and unhealthy-targets alarms are now made by modules/ecs-service under the same names
#   ("<name>-<service>-<kind>"): the service units apply before this one and take the existing alarms over
#   (CloudWatch's PutMetricAlarm updates an alarm of that name), then this module forgets its copies. Deleting
#   them here would delete the services' alarms.
# - The topic, its key, policy and subscription are now modules/notifications (the notifications unit). With
#   alarm_email set, import them there BEFORE the first apply of the new layout, or it tries to create a second
#   key and a topic of the same name (see modules/notifications/README.md, "Moving from monitoring").
# The old "<name>-alb-5xx-rate" alarm is destroyed: the frontend's "<name>-frontend-5xx-rate" replaces it (same
# expression, over the frontend's target group) and the services no longer name the old one.
removed {
  from = aws_cloudwatch_metric_alarm.service
  lifecycle {
    destroy = false
  }
}
removed {
  from = module.kms_key
  lifecycle {
    destroy = false
  }
}
removed {
  from = aws_sns_topic.alarms
  lifecycle {
    destroy = false
  }
}
removed {
  from = aws_sns_topic_policy.alarms
  lifecycle {
    destroy = false
  }
}
removed {
  from = aws_sns_topic_subscription.email
  lifecycle {
    destroy = false
  }
}

# The same for state from before the earlier layouts (the key as aws_kms_key.alarms, one resource per alarm kind).
removed {
  from = aws_kms_key.alarms
  lifecycle {
    destroy = false
  }
}
removed {
  from = aws_kms_alias.alarms
  lifecycle {
    destroy = false
  }
}
removed {
  from = aws_cloudwatch_metric_alarm.unhealthy_targets
  lifecycle {
    destroy = false
  }
}
removed {
  from = aws_cloudwatch_metric_alarm.cpu_high
  lifecycle {
    destroy = false
  }
}
removed {
  from = aws_cloudwatch_metric_alarm.memory_high
  lifecycle {
    destroy = false
  }
}
