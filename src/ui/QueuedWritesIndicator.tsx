import { type ReactNode, useRef, useState } from 'react';
import type { OutboxEntry } from '../outbox/index.js';
import { type StoreClient, useOutbox, useStoreClient } from '../react/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import { type BrownoutMessages, type DeepPartialMessages, format, plural } from './messages.js';
import { conflictText, QueuedWriteActions, type WriteAction } from './QueuedWriteActions.js';
import { fill, RelativeTime } from './RelativeTime.js';

/** Props of {@link QueuedWritesIndicator}. */
export interface QueuedWritesIndicatorProps {
  /** Only this dependency's writes; default all. */
  dependency?: string;
  /** What a write is, in the user's words ("Add 2 × Blue mug to cart"). @default "A change to Orders" */
  describe?: (entry: OutboxEntry) => string;
  /** Show the list open. @default false */
  defaultOpen?: boolean;
  /**
   * Takes the user to sign in again, for writes the service refused until then (401/403): with it, a
   * "Sign in" button stands next to "Sign in again to send your 2 saved changes". After sign-in the app
   * calls `client.outbox.resume()`; "Send now" does the same for a user who signed in elsewhere.
   */
  onSignIn?: () => void;
  messages?: DeepPartialMessages;
}

/** The outbox methods the kit calls. */
type OutboxActions = NonNullable<StoreClient['outbox']>;

/** Why a failed write failed, in the user's terms, from the status the service answered. */
const failureOf = (entry: OutboxEntry): 'auth' | 'gone' | 'rejected' | undefined => {
  if (entry.status !== 'failed') return undefined;
  const status = entry.lastProblem?.status;
  return status === 401 || status === 403 ? 'auth' : status === 404 || status === 410 ? 'gone' : 'rejected';
};

/** The key of "Send now" while it is under way (entries are keyed by their id). */
const SEND_NOW = 'send-now';

/**
 * What the queue counts: writes waiting for sign-in (not failed: they go by themselves once the user has
 * signed in again; a 401 pauses its dependency's whole replay, so the writes queued behind it wait for
 * sign-in too, and are counted), those pending and those that need the user.
 */
function countsOf(
  entries: readonly OutboxEntry[],
  summary: {
    readonly queued: number;
    readonly sending: number;
    readonly failed: number;
    readonly conflict: number;
  },
) {
  const needsAuth = entries.filter((e) => e.status === 'needs-auth');
  const paused = new Set(needsAuth.map((e) => e.dependency));
  const signIn = entries.filter(
    (e) => e.status === 'needs-auth' || (e.status === 'queued' && paused.has(e.dependency)),
  );
  const pending = summary.queued + summary.sending + needsAuth.length;
  return { needsAuth, signIn, pending, attention: summary.failed + summary.conflict };
}

/**
 * "3 changes waiting to be sent", with a list of the writes in the outbox (what, when, status):
 * "Retry" / "Discard" for the ones that failed, "Keep mine" / "Use theirs" with the service's own words
 * for the ones that met a conflict, each irreversible step asked first. Outside the list, "Sign in again
 * to send your 2 saved changes" (with "Sign in" and "Send now") when the service asks for sign-in, and a
 * warning when the writes live only in this tab's memory (IndexedDB unavailable). Renders nothing with an
 * empty outbox. A native `<details>` disclosure: keyboard and screen readers know it. State:
 * `data-pending`, `data-attention`, `data-needs-auth` (entries the service refused until sign-in),
 * `data-persistence` on the root, `data-status` per entry.
 * @example
 * <QueuedWritesIndicator dependency="orders" onSignIn={openSignIn} describe={(e) => `Order ${e.id.slice(0, 6)}`} />
 */
export function QueuedWritesIndicator({
  dependency,
  describe: describeEntry,
  defaultOpen = false,
  onSignIn,
  messages,
}: QueuedWritesIndicatorProps): ReactNode {
  const client = useStoreClient();
  const { summary, entries, persistence } = useOutbox(dependency);
  const { messages: m, locale, label } = useUIText(messages);
  const describe =
    describeEntry ?? ((entry: OutboxEntry) => format(m.changeTo, { dependency: label(entry.dependency) }));
  const [busy, setBusy] = useState<string | null>(null);
  // One question at a time, for the step that cannot be undone.
  const [asking, setAsking] = useState<{ id: string; action: WriteAction } | null>(null);
  const summaryRef = useRef<HTMLElement>(null);
  const { needsAuth, signIn, pending, attention } = countsOf(entries, summary);
  if (pending + attention === 0) return null;
  const outbox = client.outbox;
  const run = (key: string, step: (outbox: OutboxActions) => Promise<void>): void => {
    if (!outbox) return;
    setBusy(key);
    setAsking(null);
    // The row may go away: focus goes to the summary, which says what is left.
    summaryRef.current?.focus();
    void step(outbox).finally(() => setBusy((b) => (b === key ? null : b)));
  };
  const count = (message: BrownoutMessages['queuedCount'], n: number): string =>
    format(plural(message, n, locale), { count: String(n) });
  const headline = [
    pending > 0 ? count(m.queuedCount, pending) : '',
    attention > 0 ? count(m.needsAttentionCount, attention) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  // What the sign-in buttons act on, in their accessible names: the write itself when there is one.
  const signInWhat = signIn.length === 1 ? describe(signIn[0]!) : count(m.savedChanges, signIn.length);
  return (
    <div
      className="brownout-queue"
      data-pending={pending}
      data-attention={attention}
      data-needs-auth={needsAuth.length}
      data-persistence={persistence}
    >
      <details open={defaultOpen}>
        <summary className="brownout-queue__summary" ref={summaryRef}>
          {attention > 0 && <span aria-hidden="true">⚠ </span>}
          {headline}
        </summary>
        <ul className="brownout-queue__list">
          {entries.map((entry) => (
            // The spaces between the parts are for screen readers, which would read "cartmade" without
            // them (a flex row shows none of them).
            <li key={entry.id} className="brownout-queue__entry" data-status={entry.status}>
              <span className="brownout-queue__what">{describe(entry)}</span>{' '}
              <span className="brownout-queue__when">
                {fill(m.queuedAt, { age: <RelativeTime at={entry.createdAt} locale={locale} /> })}
              </span>{' '}
              <span className="brownout-queue__status">{m.outboxStatus[entry.status]}</span>{' '}
              <Reason entry={entry} m={m} />{' '}
              <QueuedWriteActions
                entry={entry}
                what={describe(entry)}
                m={m}
                asking={asking?.id === entry.id ? asking.action : undefined}
                busy={busy === entry.id}
                onAsk={(action) => setAsking(action ? { id: entry.id, action } : null)}
                onAct={(action) => run(entry.id, (o) => o[action](entry.id))}
              />
            </li>
          ))}
        </ul>
      </details>
      {needsAuth.length > 0 && (
        // Outside the disclosure: what the user must do is never hidden behind a click.
        <p className="brownout-queue__warning" data-reason="auth">
          <span>
            <span aria-hidden="true">⚠ </span>
            {count(m.needsSignIn, signIn.length)}
          </span>{' '}
          {onSignIn && (
            <button
              type="button"
              className="brownout-button"
              aria-label={`${m.signIn}: ${signInWhat}`}
              onClick={() => {
                // A sign-in dialog that gives focus back on close gives it to the summary, which stays.
                summaryRef.current?.focus();
                onSignIn();
              }}
            >
              {m.signIn}
            </button>
          )}
          <button
            type="button"
            className="brownout-button brownout-button--quiet"
            disabled={busy === SEND_NOW}
            aria-label={`${m.sendNow}: ${signInWhat}`}
            onClick={() => run(SEND_NOW, (o) => o.resume(dependency))}
          >
            {m.sendNow}
          </button>
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

/**
 * Why a write needs the user, next to it: for a conflict the service's own words (as text) or a plain
 * fallback; for a failure, the reason from the status it answered.
 */
function Reason({ entry, m }: { entry: OutboxEntry; m: BrownoutMessages }): ReactNode {
  if (entry.status === 'conflict') {
    const server = conflictText(entry);
    return (
      <span className="brownout-queue__reason" data-source={server === undefined ? 'kit' : 'server'}>
        {server ?? m.conflictBecause}
      </span>
    );
  }
  const why = failureOf(entry);
  return why === undefined ? null : <span className="brownout-queue__reason">{m.failedBecause[why]}</span>;
}
