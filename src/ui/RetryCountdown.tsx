import { type ReactNode, useCallback, useId, useRef } from 'react';
import { useBrownoutSelector, useRetryCountdown, useStoreClient } from '../react/index.js';
import type { DegradationState } from '../store/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import { type DeepPartialMessages, format } from './messages.js';

/** Props of {@link RetryCountdown}. */
export interface RetryCountdownProps {
  /** The dependency that is down. */
  dependency: string;
  /**
   * Called after "Retry now" has let one probe through: make the call again (e.g. `query.refetch`).
   * Without it the button is not shown.
   */
  onRetry?: () => void;
  messages?: DeepPartialMessages;
}

/**
 * "Retrying in 12 s" while `dependency` waits for its next try, with a "Retry now" button that lets one
 * probe through at once (`client.breaker(dependency).probeNow()`, never more than the breaker's one
 * probe, never past a server's `Retry-After`) and then calls `onRetry`. Renders nothing while the
 * dependency is not waiting, and "Trying again…" only while the probe is really out. Only this component
 * re-renders as the seconds tick, and they are not announced. State: `data-state="waiting" | "due" |
 * "probing"`, `data-held` while a `Retry-After` holds.
 * @example
 * <RetryCountdown dependency="pricing" onRetry={() => query.refetch()} />
 */
export function RetryCountdown({ dependency, onRetry, messages }: RetryCountdownProps): ReactNode {
  const client = useStoreClient();
  const countdown = useRetryCountdown(dependency);
  const probing = useBrownoutSelector(
    useCallback((s: DegradationState) => s.dependencies[dependency]?.breaker === 'half-open', [dependency]),
  );
  const { messages: m } = useUIText(messages);
  const heldId = useId();
  // "Retry now" goes away once it is pressed: focus stays here (the same element in every state), and
  // landing on it reads what happens now ("Trying again…").
  const root = useRef<HTMLSpanElement>(null);
  // The probe is out: "Trying again…" is true only now.
  if (probing) {
    return (
      <span className="brownout-countdown" data-state="probing" ref={root} tabIndex={-1}>
        <span className="brownout-countdown__text">{m.retryingNow}</span>
      </span>
    );
  }
  if (!countdown) return null;
  const held = client.breaker(dependency).heldUntil !== undefined;
  const due = countdown.secondsLeft === 0;
  // An isolated breaker (an operator's switch) has no next try to count down to or to bring forward.
  if (!Number.isFinite(countdown.secondsLeft)) return null;
  // The wait is over and nothing is being sent (no query or probe path to try with): no countdown to
  // show, only the user's own "Retry now".
  if (due && !onRetry) return null;
  const retry = (): void => {
    if (held) return;
    root.current?.focus();
    if (client.breaker(dependency).probeNow()) onRetry?.();
  };
  return (
    <span
      className="brownout-countdown"
      data-state={due ? 'due' : 'waiting'}
      data-held={held ? '' : undefined}
      ref={root}
      tabIndex={-1}
    >
      {!due && (
        <span className="brownout-countdown__text">
          {format(m.retryingIn, { seconds: String(countdown.secondsLeft) })}
        </span>
      )}
      {onRetry && (
        <button
          type="button"
          className="brownout-button brownout-button--quiet"
          aria-disabled={held ? 'true' : undefined}
          aria-describedby={held ? heldId : undefined}
          onClick={retry}
        >
          {m.retryNow}
        </button>
      )}
      {held && onRetry && (
        <span id={heldId} className="brownout-visually-hidden">
          {m.retryHeld}
        </span>
      )}
    </span>
  );
}
