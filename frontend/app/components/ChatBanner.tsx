import type { Budget } from "../chat/budget";
import { describeError } from "../chat/describe-error";
import type { ChatFailure } from "../chat/use-chat";
import type { ModelsState } from "../chat/use-models";
import { Banner } from "./Banner";
import { BudgetBanner } from "./BudgetBanner";

interface Props {
  budget: Budget;
  /** The failed reply of the open conversation, if any. */
  failure: ChatFailure | null;
  onRetryReply: (conversationId: string) => void;
  onDismissFailure: () => void;
  models: ModelsState;
  onReloadModels: () => void;
  onDismissModelsError: () => void;
  saveFailed: boolean;
  onDismissSaveError: () => void;
}

/**
 * The one failure worth showing now: a used-up budget (it also explains a reply refused for it), then a
 * failed reply, then a model list that failed, then saving.
 */
export function ChatBanner(props: Props) {
  const { budget, failure, models, saveFailed } = props;
  if (budget.blocked) return <BudgetBanner budget={{ ...budget, blocked: budget.blocked }} />;
  if (failure) {
    return (
      <Banner
        description={describeError(failure.error)}
        requestId={failure.error.details.requestId}
        onRetry={() => props.onRetryReply(failure.conversationId)}
        onDismiss={props.onDismissFailure}
      />
    );
  }
  if (models.error) {
    return (
      <Banner
        description={describeError(models.error)}
        requestId={models.error.details.requestId}
        retrying={models.status === "loading"}
        onRetry={props.onReloadModels}
        onDismiss={props.onDismissModelsError}
      />
    );
  }
  if (saveFailed) {
    return (
      <Banner
        description={{
          tone: "warning",
          title: "Couldn't save this conversation",
          detail: "The browser's storage is full or disabled. Delete old conversations to free space.",
        }}
        onRetry={props.onDismissSaveError}
        onDismiss={props.onDismissSaveError}
      />
    );
  }
  return null;
}
