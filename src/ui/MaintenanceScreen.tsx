import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import { useBrownoutSelector, useStoreClient } from '../react/index.js';
import { type DegradationState, shallowEqual } from '../store/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import type { DeepPartialMessages } from './messages.js';
import { fill, RelativeTime } from './RelativeTime.js';

/** Props of {@link MaintenanceScreen}. */
export interface MaintenanceScreenProps {
  /** Only these dependencies; default all. */
  dependencies?: readonly string[];
  /**
   * When the service is expected back (epoch ms), if you know it (a status page). Default: the end of
   * a server's `Retry-After`, when one was sent; otherwise no time is promised.
   */
  backAt?: number;
  /** The app, shown while the level is not `maintenance`. */
  children?: ReactNode;
  messages?: DeepPartialMessages;
}

interface MaintenanceView {
  readonly names: readonly string[];
  readonly code: string | undefined;
  readonly retryAts: readonly (number | undefined)[];
}

/**
 * A friendly full page while the level is `maintenance` (a critical dependency that fails closed is down,
 * or a core one has nothing to fall back on), in place of `children`: what happened in plain words, when
 * it should be back if that is known, and the correlation id as a support code — never a stack trace or
 * the server's text. Focus moves to its heading when it appears. State: `data-level="maintenance"`.
 * @example
 * <MaintenanceScreen><App /></MaintenanceScreen>
 */
export function MaintenanceScreen({
  dependencies,
  backAt,
  children,
  messages,
}: MaintenanceScreenProps): ReactNode {
  const client = useStoreClient();
  const key = dependencies?.join('\u0000');
  // Null while not in maintenance; else the culprits, the support code, and their retry times (so that a
  // new Retry-After re-renders and is read again below).
  const view = useBrownoutSelector(
    useCallback(
      (state: DegradationState): MaintenanceView | null => {
        const names = key === undefined ? Object.keys(state.dependencies) : key.split('\u0000');
        const down = names.flatMap((n) => {
          const d = state.dependencies[n];
          return d?.level === 'maintenance' ? [d] : [];
        });
        if (down.length === 0) return null;
        const code = down.map((d) => d.lastError?.correlationId).find((c) => typeof c === 'string');
        return { names: down.map((d) => d.name), code, retryAts: down.map((d) => d.retryAt) };
      },
      [key],
    ),
    shallowEqual,
  );
  const { messages: m, locale } = useUIText(messages);
  const heading = useRef<HTMLHeadingElement>(null);
  const active = view !== null;
  useEffect(() => {
    if (active) heading.current?.focus();
  }, [active]);
  if (!view) return children ?? null;
  const { names, code } = view;
  let back = backAt;
  if (back === undefined) {
    for (const name of names) {
      const held = client.breaker(name).heldUntil;
      if (held !== undefined) back = Math.max(back ?? held, held);
    }
  }
  return (
    <main className="brownout-maintenance" data-level="maintenance">
      <h1 className="brownout-maintenance__title" tabIndex={-1} ref={heading}>
        {m.maintenanceTitle}
      </h1>
      <p>{m.maintenanceBody}</p>
      {back !== undefined && (
        <p>{fill(m.maintenanceBackAt, { time: <RelativeTime at={back} locale={locale} /> })}</p>
      )}
      {code && (
        <p className="brownout-maintenance__support">
          {m.supportCode}: <code>{code}</code>
        </p>
      )}
    </main>
  );
}
