import { describeReset, type Budget } from "../chat/budget";
import { Banner } from "./Banner";

/** Why the message box is off, and when it comes back; nothing to retry or dismiss until then. */
export function BudgetBanner({ budget }: { budget: Budget & { blocked: NonNullable<Budget["blocked"]> } }) {
  const when = budget.resetsAt !== undefined ? describeReset(budget.resetsAt) : "after midnight UTC";
  const description =
    budget.blocked === "spend_cap_reached"
      ? {
          tone: "warning" as const,
          title: "The chat is paused for today",
          detail: `This environment has reached its daily spending cap. You can send messages again ${when}.`,
        }
      : {
          tone: "warning" as const,
          title: "You've used today's budget",
          detail: `You can send messages again ${when}, when your daily budget resets.`,
        };
  return <Banner description={description} />;
}
