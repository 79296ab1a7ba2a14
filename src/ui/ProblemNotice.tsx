import type { ReactNode } from 'react';
import { type BrownoutError, isBrownoutError } from '../core/index.js';
import { type BrownoutMessages, defaultMessages, format } from './messages.js';

/** Props of {@link ProblemNotice}. */
export interface ProblemNoticeProps {
  /** The failure to explain; anything that is not a BrownoutError is shown as a generic network problem. */
  error: unknown;
  /** The name users know the dependency by (defaults to the dependency's id). */
  label?: string;
  /** Replacement texts. */
  messages?: Partial<BrownoutMessages>;
  /** Called by the "Try again" button; no button without it. */
  onRetry?: () => void;
  /** The retry button's text. @default 'Try again' */
  retryLabel?: string;
}

/**
 * Explains a failed call in plain words with the support code (the correlation id) — never a stack
 * trace, never server text as HTML. State is exposed as `data-kind`, `data-status` and `data-retriable`.
 * @example
 * {query.error && <ProblemNotice error={query.error} label="Prices" onRetry={query.refetch} />}
 */
export function ProblemNotice({
  error,
  label,
  messages,
  onRetry,
  retryLabel = 'Try again',
}: ProblemNoticeProps): ReactNode {
  const m = { ...defaultMessages, ...messages };
  const e: Pick<BrownoutError, 'kind' | 'retriable' | 'dependency' | 'correlationId' | 'status'> =
    isBrownoutError(error) ? error : { kind: 'network', retriable: true };
  const name = label ?? e.dependency ?? 'The service';
  const title = format(m.problemTitle[e.kind], { dependency: name });
  const hint = m.problemHint[e.kind];
  return (
    <div
      className="brownout-problem"
      role="alert"
      data-kind={e.kind}
      data-status={e.status}
      data-retriable={String(e.retriable)}
    >
      <p className="brownout-problem__title">{title.charAt(0).toUpperCase() + title.slice(1)}</p>
      {hint && <p className="brownout-problem__hint">{hint}</p>}
      {e.correlationId && (
        <p className="brownout-problem__support">
          {m.supportCode}: <code>{e.correlationId}</code>
        </p>
      )}
      {onRetry && (
        <button type="button" className="brownout-button" onClick={onRetry}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}
