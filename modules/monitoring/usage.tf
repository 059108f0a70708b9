# The chats' usage, from the metrics the backend writes in CloudWatch's embedded metric format (one log line per
# finished or rejected chat; contract of issue 13): namespace FargateAiStack, dimensions [Environment, Model] and
# [Environment, Outcome], metrics InputTokens, OutputTokens, TimeToFirstToken (ms) and Requests. Dashboard widgets
# for tokens, estimated spend (the token counts times var.model_prices_usd_per_million_tokens), time to first token
# and outcomes, and two alarms on the environment's topic: the estimated spend of the last 24 hours, and a surge of
# chats refused for budget (budget_exceeded) or the environment's cap (spend_cap_reached).

locals {
  namespace = "FargateAiStack"
  outcomes  = ["completed", "client_closed", "upstream_error", "budget_exceeded", "spend_cap_reached"]
  # The priced models in a stable order; metric math ids are by index (ids allow no dots or hyphens).
  models = sort(keys(var.model_prices_usd_per_million_tokens))

  model_metric = { for metric in ["InputTokens", "OutputTokens"] : metric => [
    for i, model in local.models : [local.namespace, metric, "Environment", var.env, "Model", model]
  ] }

  # Per model: (input tokens x input price + output tokens x output price) / 1,000,000, in USD.
  spend_terms = [
    for i, model in local.models :
    "in${i} * ${var.model_prices_usd_per_million_tokens[model].input} + out${i} * ${var.model_prices_usd_per_million_tokens[model].output}"
  ]

  usage_y = 18 + 6 * length(local.waf_widgets)
  usage_widgets = [
    {
      x = 0, y = local.usage_y, width = 12
      properties = {
        title  = "Tokens per hour (input and output by model)"
        period = 3600
        metrics = concat(
          [for i, model in local.models : concat(local.model_metric["InputTokens"][i], [{ stat = "Sum", label = "${model} input" }])],
          [for i, model in local.models : concat(local.model_metric["OutputTokens"][i], [{ stat = "Sum", label = "${model} output" }])],
        )
      }
    },
    {
      x = 12, y = local.usage_y, width = 12
      properties = {
        title   = "Estimated spend per hour (USD, at the configured prices)"
        period  = 3600
        stacked = true
        metrics = concat(
          [for i, model in local.models : concat(local.model_metric["InputTokens"][i], [{ id = "in${i}", stat = "Sum", visible = false }])],
          [for i, model in local.models : concat(local.model_metric["OutputTokens"][i], [{ id = "out${i}", stat = "Sum", visible = false }])],
          [for i, model in local.models : [{ id = "usd${i}", expression = "(${local.spend_terms[i]}) / 1000000", label = model }]],
        )
      }
    },
    {
      x = 0, y = local.usage_y + 6, width = 12
      properties = {
        title  = "Time to first token, p95 (ms)"
        period = 300
        metrics = [
          for model in local.models :
          [local.namespace, "TimeToFirstToken", "Environment", var.env, "Model", model, { stat = "p95", label = model }]
        ]
      }
    },
    {
      x = 12, y = local.usage_y + 6, width = 12
      properties = {
        title   = "Chats by outcome (per 5 minutes)"
        period  = 300
        stacked = true
        metrics = [
          for outcome in local.outcomes :
          [local.namespace, "Requests", "Environment", var.env, "Outcome", outcome, { stat = "Sum", label = outcome }]
        ]
      }
    },
  ]

  spend_alarm_name      = "${var.name}-estimated-daily-spend"
  rejections_alarm_name = "${var.name}-budget-rejections"
  create_spend_alarm    = var.spend_alarm_daily_usd > 0 && length(local.models) > 0
  alarm_actions         = var.alarm_topic_arn == "" ? [] : [var.alarm_topic_arn]

  alarm_names = tolist(concat(
    var.alarm_names,
    local.create_spend_alarm ? [local.spend_alarm_name] : [],
    [local.rejections_alarm_name],
  ))
}

# The estimated spend of the last 24 hours over the threshold: every model's tokens times its prices, summed.
resource "aws_cloudwatch_metric_alarm" "estimated_daily_spend" {
  count = local.create_spend_alarm ? 1 : 0

  alarm_name          = local.spend_alarm_name
  alarm_description   = "The chats of ${var.name} spent an estimated ${var.spend_alarm_daily_usd} USD or more in 24 hours at the configured prices (per-model token counts of the backend's metrics): check the dashboard's tokens by model and the budgets (env.hcl)."
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.spend_alarm_daily_usd
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dynamic "metric_query" {
    for_each = { for item in flatten([
      for i, model in local.models : [
        { id = "in${i}", metric = "InputTokens", model = model },
        { id = "out${i}", metric = "OutputTokens", model = model },
      ]
    ]) : item.id => item }
    content {
      id          = metric_query.key
      return_data = false
      metric {
        namespace   = local.namespace
        metric_name = metric_query.value.metric
        dimensions  = { Environment = var.env, Model = metric_query.value.model }
        period      = 86400
        stat        = "Sum"
      }
    }
  }

  metric_query {
    id          = "usd"
    expression  = "(${join(" + ", local.spend_terms)}) / 1000000"
    label       = "Estimated spend in 24 hours (USD)"
    return_data = true
  }
}

# More chats refused in 5 minutes than the threshold, for the user's budget or the environment's cap: a runaway
# client, many accounts at their limit, or a cap set too low.
resource "aws_cloudwatch_metric_alarm" "budget_rejections" {
  alarm_name          = local.rejections_alarm_name
  alarm_description   = "More than ${var.budget_rejections_alarm_threshold} chats of ${var.name} refused in 5 minutes for a user's daily budget (budget_exceeded) or the environment's daily cap (spend_cap_reached): a runaway client, users at their limits or a cap set too low (env.hcl's budget_*_daily_tokens)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.budget_rejections_alarm_threshold
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dynamic "metric_query" {
    for_each = { budget = "budget_exceeded", cap = "spend_cap_reached" }
    content {
      id          = metric_query.key
      return_data = false
      metric {
        namespace   = local.namespace
        metric_name = "Requests"
        dimensions  = { Environment = var.env, Outcome = metric_query.value }
        period      = 300
        stat        = "Sum"
      }
    }
  }

  metric_query {
    id          = "rejected"
    expression  = "budget + cap"
    label       = "Chats refused for budget or cap per 5 minutes"
    return_data = true
  }
}
