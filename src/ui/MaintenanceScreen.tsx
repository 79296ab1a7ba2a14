import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import { useBrownoutSelector, useStoreClient } from '../react/index.js';
import type { DegradationState } from '../store/index.js';
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

const NONE = '';

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
  // A string snapshot: "" while not in maintenance, else the culprits and the support code.
  const snapshot = useBrownoutSelector(
    useCallback(
      (state: DegradationState): string => {
        const names = key === undefined ? Object.keys(state.dependencies) : key.split('\u0000');
        const down = names.flatMap((n) => {
          const d = state.dependencies[n];
          return d?.level === 'maintenance' ? [d] : [];
        });
        if (down.length === 0) return NONE;
        const code = down.map((d) => d.lastError?.correlationId).find((c) => typeof c === 'string');
        return JSON.stringify([down.map((d) => d.name), code ?? null, down.map((d) => d.retryAt ?? null)]);
      },
      [key],
    ),
  );
  const { messages: m, locale } = useUIText(messages);
  const heading = useRef<HTMLHeadingElement>(null);
  const active = snapshot !== NONE;
  useEffect(() => {
    if (active) heading.current?.focus();
  }, [active]);
  if (!active) return children ?? null;
  const [names, code] = JSON.parse(snapshot) as [string[], string | null];
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
