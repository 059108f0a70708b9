import { useEffect, useId, useState } from "react";
import type { ErrorDescription } from "../chat/describe-error";
import { AlertIcon, CloseIcon } from "./icons";

interface Props {
  description: ErrorDescription;
  requestId?: string;
  /** A retry is in flight: keep the message up and the button busy until it settles. */
  retrying?: boolean;
  /** Without it there is no Retry: waiting is the only way (a used-up budget). */
  onRetry?: () => void;
  onDismiss?: () => void;
}

/** A failure, what it means and a Retry. Rate limits count down before Retry is offered. */
export function Banner({ description, requestId, retrying = false, onRetry, onDismiss }: Props) {
  const titleId = useId();
  const wait = useCountdown(description.retryAfterSeconds);
  return (
    <section className={`banner banner-${description.tone}`} aria-labelledby={titleId} data-testid="banner">
      <AlertIcon />
      {/* Only the message is the alert, so the ticking countdown on the button is not re-announced. */}
      <div className="banner-text" role="alert">
        <p id={titleId} className="banner-title">
          {description.title}
        </p>
        <p>{description.detail}</p>
        {description.operatorHint ? (
          <p className="banner-hint">
            Operator: <code>{description.operatorHint}</code>
          </p>
        ) : null}
        {requestId ? <p className="banner-ref">Reference: {requestId}</p> : null}
      </div>
      {onRetry || onDismiss ? (
        <div className="banner-actions">
          {onRetry ? (
            <button type="button" className="secondary" onClick={onRetry} disabled={wait > 0 || retrying}>
              {retrying ? "Retrying…" : wait > 0 ? `Retry in ${wait} s` : "Retry"}
            </button>
          ) : null}
          {onDismiss ? (
            <button type="button" className="ghost icon" onClick={onDismiss} aria-label="Dismiss message">
              <CloseIcon />
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function useCountdown(seconds: number | undefined): number {
  const [left, setLeft] = useState(seconds ?? 0);
  useEffect(() => {
    setLeft(seconds ?? 0);
    if (!seconds) return;
    const end = Date.now() + seconds * 1000;
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [seconds]);
  return left;
}
