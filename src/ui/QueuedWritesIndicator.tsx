import { type ReactNode, useRef, useState } from 'react';
import type { OutboxEntry } from '../outbox/index.js';
import { useOutbox, useStoreClient } from '../react/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import { type BrownoutMessages, type DeepPartialMessages, format, plural } from './messages.js';
import { fill, RelativeTime } from './RelativeTime.js';

/** Props of {@link QueuedWritesIndicator}. */
export interface QueuedWritesIndicatorProps {
  /** Only this dependency's writes; default all. */
  dependency?: string;
  /** What a write is, in the user's words ("Add 2 × Blue mug to cart"). @default "A change to Orders" */
  describe?: (entry: OutboxEntry) => string;
  /** Show the list open. @default false */
  defaultOpen?: boolean;
  messages?: DeepPartialMessages;
}

/** Why a failed write failed, in the user's terms, from the status the service answered. */
const failureOf = (entry: OutboxEntry): 'auth' | 'gone' | 'rejected' | undefined => {
  if (entry.status !== 'failed') return undefined;
  const status = entry.lastProblem?.status;
  return status === 401 || status === 403 ? 'auth' : status === 404 || status === 410 ? 'gone' : 'rejected';
};

/**
 * "3 changes waiting to be sent", with a list of the writes in the outbox (what, when, status) and
 * "Retry" / "Discard" for the ones that failed or met a conflict; warns when the writes live only in
 * this tab's memory (IndexedDB unavailable). Renders nothing with an empty outbox. A native
 * `<details>` disclosure: keyboard and screen readers know it. State: `data-pending`, `data-attention`,
 * `data-persistence` on the root, `data-status` per entry.
 * @example
 * <QueuedWritesIndicator dependency="orders" describe={(e) => `Order ${e.id.slice(0, 6)}`} />
 */
export function QueuedWritesIndicator({
  dependency,
  describe: describeEntry,
  defaultOpen = false,
  messages,
}: QueuedWritesIndicatorProps): ReactNode {
  const client = useStoreClient();
  const { summary, entries, persistence } = useOutbox(dependency);
  const { messages: m, locale, label } = useUIText(messages);
  const describe =
    describeEntry ?? ((entry: OutboxEntry) => format(m.changeTo, { dependency: label(entry.dependency) }));
  const needsSignIn = entries.some((e) => failureOf(e) === 'auth');
  const [busy, setBusy] = useState<string | null>(null);
  // "Discard" deletes for good: it asks first, with "Keep" (the safe choice) focused.
  const [confirming, setConfirming] = useState<string | null>(null);
  const summaryRef = useRef<HTMLElement>(null);
  const pending = summary.queued + summary.sending;
  const attention = summary.failed + summary.conflict;
  if (pending + attention === 0) return null;
  const act = (id: string, action: 'retry' | 'discard'): void => {
    const outbox = client.outbox;
    if (!outbox) return;
    setBusy(id);
    setConfirming(null);
    // The row may go away: focus goes to the summary, which says what is left.
    summaryRef.current?.focus();
    void outbox[action](id).finally(() => setBusy((b) => (b === id ? null : b)));
  };
  const headline = [
    pending > 0 ? format(plural(m.queuedCount, pending, locale), { count: String(pending) }) : '',
    attention > 0
      ? format(plural(m.needsAttentionCount, attention, locale), { count: String(attention) })
      : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div
      className="brownout-queue"
      data-pending={pending}
      data-attention={attention}
      data-persistence={persistence}
    >
      <details open={defaultOpen}>
        <summary className="brownout-queue__summary" ref={summaryRef}>
          {attention > 0 && <span aria-hidden="true">⚠ </span>}
          {headline}
        </summary>
        <ul className="brownout-queue__list">
          {entries.map((entry) => (
            <li key={entry.id} className="brownout-queue__entry" data-status={entry.status}>
              <span className="brownout-queue__what">{describe(entry)}</span>
              <span className="brownout-queue__when">
                {fill(m.queuedAt, { age: <RelativeTime at={entry.createdAt} locale={locale} /> })}
              </span>
              <span className="brownout-queue__status">{m.outboxStatus[entry.status]}</span>
              <Reason why={failureOf(entry)} m={m.failedBecause} />
              {(entry.status === 'failed' || entry.status === 'conflict') && (
                <span className="brownout-queue__actions">
                  <button
                    type="button"
                    className="brownout-button brownout-button--quiet"
                    disabled={busy === entry.id}
                    aria-label={`${m.retryWrite}: ${describe(entry)}`}
                    onClick={() => act(entry.id, 'retry')}
                  >
                    {m.retryWrite}
                  </button>
                  {confirming === entry.id ? (
                    <fieldset className="brownout-queue__confirm">
                      <legend>{m.discardConfirm}</legend>
                      <button
                        type="button"
                        className="brownout-button brownout-button--quiet"
                        ref={(button) => button?.focus()}
                        onClick={() => setConfirming(null)}
                      >
                        {m.keepWrite}
                      </button>
                      <button
                        type="button"
                        className="brownout-button brownout-button--quiet"
                        aria-label={`${m.discardWrite}: ${describe(entry)}`}
                        onClick={() => act(entry.id, 'discard')}
                      >
                        {m.discardWrite}
                      </button>
                    </fieldset>
                  ) : (
                    <button
                      type="button"
                      className="brownout-button brownout-button--quiet"
                      disabled={busy === entry.id}
                      aria-label={`${m.discardWrite}: ${describe(entry)}`}
                      onClick={() => setConfirming(entry.id)}
                    >
                      {m.discardWrite}
                    </button>
                  )}
                </span>
              )}
            </li>
          ))}
        </ul>
      </details>
      {needsSignIn && (
        // Outside the disclosure: what the user must do is never hidden behind a click.
        <p className="brownout-queue__warning" data-reason="auth">
          <span aria-hidden="true">⚠ </span>
          {m.failedBecause.auth}
        </p>
      )}
      {persistence === 'memory' && (
        // Outside the disclosure: a risk of losing work is never hidden behind a click.
        <p className="brownout-queue__warning">
          <span aria-hidden="true">⚠ </span>
          {m.memoryOnly}
        </p>
      )}
    </div>
  );
}

/** A failed write's reason, next to it (the sign-in reason is said once, outside the list). */
function Reason({
  why,
  m,
}: {
  why: ReturnType<typeof failureOf>;
  m: BrownoutMessages['failedBecause'];
}): ReactNode {
  if (why === undefined || why === 'auth') return null;
  return <span className="brownout-queue__reason">{m[why]}</span>;
}
