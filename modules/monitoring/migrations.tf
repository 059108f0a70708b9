# No resources left here: the alarms and the notification topic left this module. (`removed` blocks would forget
# them without deleting them, but tfsec, which checks every module, cannot parse them.) An environment deployed
# with the old layout needs two steps BEFORE its first apply of the new one, or this unit, applied after the
# services, deletes the alarms they have just taken over:
#
# 1. In live/<env>/monitoring, forget what moved (nothing is deleted; the old <name>-alb-5xx-rate alarm stays in
#    the state, so the apply deletes it: the frontend's <name>-frontend-5xx-rate replaces it):
#      terragrunt state rm 'aws_cloudwatch_metric_alarm.service'
#    and, with alarm_email set:
#      terragrunt state rm 'module.kms_key' 'aws_sns_topic.alarms' 'aws_sns_topic_policy.alarms' \
#        'aws_sns_topic_subscription.email'
#    (State from before the earlier layouts names the alarms aws_cloudwatch_metric_alarm.unhealthy_targets,
#    .cpu_high and .memory_high, and the key aws_kms_key.alarms and aws_kms_alias.alarms: forget those instead.)
# 2. With alarm_email set, import the topic into live/<env>/notifications (modules/notifications/README.md,
#    "Moving from monitoring").
#
# The service units then take the CPU, memory and unhealthy-targets alarms over under the same names (creating an
# alarm of an existing name updates it).
