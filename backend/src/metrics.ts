// Chat metrics as CloudWatch embedded metric format (EMF): one JSON log line per finished or
// rejected chat, which CloudWatch Logs turns into metrics without an agent or an API call. The
// metric directives never change, so they are built once.

import type { Logger } from "./logger.js";

export type ChatOutcome =
  "completed" | "client_closed" | "upstream_error" | "budget_exceeded" | "spend_cap_reached";

export interface ChatMetric {
  model: string;
  outcome: ChatOutcome;
  inputTokens: number;
  outputTokens: number;
  /** Only when a token came. */
  timeToFirstTokenMs?: number | undefined;
}

export const METRICS_NAMESPACE = "FargateAiStack";

const DIMENSIONS = [
  ["Environment", "Model"],
  ["Environment", "Outcome"],
];

function directive(withFirstToken: boolean) {
  return [
    {
      Namespace: METRICS_NAMESPACE,
      Dimensions: DIMENSIONS,
      Metrics: [
        { Name: "InputTokens", Unit: "Count" },
        { Name: "OutputTokens", Unit: "Count" },
        ...(withFirstToken ? [{ Name: "TimeToFirstToken", Unit: "Milliseconds" }] : []),
        { Name: "Requests", Unit: "Count" },
      ],
    },
  ];
}

const WITH_FIRST_TOKEN = directive(true);
const WITHOUT_FIRST_TOKEN = directive(false);

export class ChatMetrics {
  constructor(
    private readonly logger: Logger,
    private readonly environment: string,
  ) {}

  record(m: ChatMetric): void {
    const withFirstToken = m.timeToFirstTokenMs !== undefined;
    // Info, like the access log: the default level keeps it.
    this.logger.info("chat metrics", {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: withFirstToken ? WITH_FIRST_TOKEN : WITHOUT_FIRST_TOKEN,
      },
      Environment: this.environment,
      Model: m.model,
      Outcome: m.outcome,
      InputTokens: m.inputTokens,
      OutputTokens: m.outputTokens,
      ...(withFirstToken ? { TimeToFirstToken: m.timeToFirstTokenMs } : {}),
      Requests: 1,
    });
  }
}
