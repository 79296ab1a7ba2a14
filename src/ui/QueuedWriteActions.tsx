import type { ReactNode } from 'react';
import { statusTitle } from '../core/index.js';
import type { OutboxEntry } from '../outbox/index.js';
import { ConfirmAction } from './ConfirmAction.js';
import type { BrownoutMessages } from './messages.js';

/** What the user can do with one write that needs them: the outbox method each button calls. */
export type WriteAction = 'retry' | 'discard' | 'keepMine' | 'acceptTheirs';

/** Props of {@link QueuedWriteActions}. */
export interface QueuedWriteActionsProps {
  entry: OutboxEntry;
  /** The write in the user's words. */
  what: string;
  m: BrownoutMessages;
  /** The action whose question is shown for this write, if any. */
  asking: WriteAction | undefined;
  /** An action on this write is under way. */
  busy: boolean;
  onAsk: (action: WriteAction | undefined) => void;
  onAct: (action: WriteAction) => void;
}

/**
 * The buttons of a write that needs the user: a failed one is retried or discarded; a conflicting one is
 * sent over the server's version ("Keep mine") or dropped for it ("Use theirs"). Every step that cannot
 * be undone asks first. Internal to `QueuedWritesIndicator`.
 */
export function QueuedWriteActions({
  entry,
  what,
  m,
  asking,
  busy,
  onAsk,
  onAct,
}: QueuedWriteActionsProps): ReactNode {
  const confirm = (action: WriteAction, label: string, question: string, safe: string): ReactNode => (
    <ConfirmAction
      action={label}
      question={question}
      safe={safe}
      what={what}
      asking={asking === action}
      disabled={busy}
      onAsk={() => onAsk(action)}
      onCancel={() => onAsk(undefined)}
      onConfirm={() => onAct(action)}
    />
  );
  if (entry.status === 'conflict') {
    // While one choice asks its question, the other is not shown: the buttons beside the question are its answers.
    return (
      <span className="brownout-queue__actions">
        {asking !== 'acceptTheirs' && confirm('keepMine', m.keepMine, m.keepMineConfirm, m.cancel)}
        {asking !== 'keepMine' && confirm('acceptTheirs', m.useTheirs, m.useTheirsConfirm, m.cancel)}
      </span>
    );
  }
  if (entry.status !== 'failed') return null;
  return (
    <span className="brownout-queue__actions">
      {asking !== 'discard' && (
        <button
          type="button"
          className="brownout-button brownout-button--quiet"
          disabled={busy}
          aria-label={`${m.retryWrite}: ${what}`}
          onClick={() => onAct('retry')}
        >
          {m.retryWrite}
        </button>
      )}
      {confirm('discard', m.discardWrite, m.discardConfirm, m.keepWrite)}
    </span>
  );
}

/** The most of a service's own words shown in a row: a runaway detail must not bury the buttons. */
const MAX_SERVER_TEXT = 300;

const sentence = (text: string): string => (/[.!?…]$/.test(text) ? text : `${text}.`);

/**
 * What the service said about a conflict (its problem's `title` and `detail`), as one plain string — shown
 * as text, never as HTML — or `undefined` when it said nothing of its own.
 */
export function conflictText(entry: OutboxEntry): string | undefined {
  const problem = entry.lastProblem ?? {};
  const title = typeof problem.title === 'string' ? problem.title.trim() : '';
  const detail = typeof problem.detail === 'string' ? problem.detail.trim() : '';
  // A title filled in from the status ("Precondition Failed") is HTTP's name for it, not the service's words.
  const own = typeof problem.status === 'number' && title === statusTitle(problem.status) ? '' : title;
  const text = [own, detail].filter(Boolean).map(sentence).join(' ');
  if (text === '') return undefined;
  return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT - 1).trimEnd()}…` : text;
}
