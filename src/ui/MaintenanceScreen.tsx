import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import { useBrownoutSelector, useStoreClient } from '../react/index.js';
import { type DegradationState, shallowEqual } from '../store/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import { type DeepPartialMessages, format, plural } from './messages.js';
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
  /**
   * The element it renders: a `section` inside the app's own `main` by default; `main` when the screen
   * replaces the whole page (then no other `main` may be on it).
   * @default 'section'
   */
  as?: 'section' | 'main';
  /** Its heading's level: 1 only when it replaces the page (one `h1` per page). @default 2 */
  headingLevel?: 1 | 2;
  /** How to reach a person now (a phone number, a link), shown under the support code. */
  support?: ReactNode;
  messages?: DeepPartialMessages;
}

interface MaintenanceView {
  readonly names: readonly string[];
  readonly code: string | undefined;
  readonly retryAts: readonly (number | undefined)[];
  /** The user's changes waiting to be sent, and where they are kept. */
  readonly pending: number;
  readonly persistence: DegradationState['outbox']['persistence'];
}

/**
 * A friendly full page while the level is `maintenance` (a critical dependency that fails closed is down,
 * or a core one has nothing to fall back on), in place of `children`: what happened in plain words (for an
 * unplanned failure: "Sorry, there is a problem with the service"), when it should be back only if a server's
 * `Retry-After` (or `backAt`) says so, how many of the user's changes are safe, the app's `support` contact,
 * and a support code that stays the same for the whole incident — never a stack trace or the server's text.
 * Focus moves to its heading when it appears. The live region is the UI provider's, so the outage and the
 * recovery are said even though the page below unmounts. State: `data-level="maintenance"`.
 * @example
 * <MaintenanceScreen><App /></MaintenanceScreen>
 */
export function MaintenanceScreen({
  dependencies,
  backAt,
  children,
  as: Root = 'section',
  headingLevel = 2,
  support,
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
        let pending = 0;
        for (const o of Object.values(state.outbox.dependencies))
          pending += o.queued + o.sending + o.needsAuth;
        return {
          names: down.map((d) => d.name),
          code,
          retryAts: down.map((d) => d.retryAt),
          pending,
          persistence: state.outbox.persistence,
        };
      },
      [key],
    ),
    shallowEqual,
  );
  const { messages: m, locale } = useUIText(messages);
  const heading = useRef<HTMLHeadingElement>(null);
  const active = view !== null;
  // One support code per incident: the first failure's, not a new one with every probe.
  const incident = useRef<string | undefined>(undefined);
  if (!active) incident.current = undefined;
  else if (incident.current === undefined) incident.current = view.code;
  useEffect(() => {
    if (active) heading.current?.focus();
  }, [active]);
  if (!view) return children ?? null;
  const { names, pending, persistence } = view;
  const code = incident.current;
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  let back = backAt;
  if (back === undefined) {
    for (const name of names) {
      const held = client.breaker(name).heldUntil;
      if (held !== undefined) back = Math.max(back ?? held, held);
    }
  }
  return (
    <Root className="brownout-maintenance" data-level="maintenance">
      <Heading className="brownout-maintenance__title" tabIndex={-1} ref={heading}>
        {m.maintenanceTitle}
      </Heading>
      <p>{m.maintenanceBody}</p>
      {back !== undefined && (
        <p>{fill(m.maintenanceBackAt, { time: <RelativeTime at={back} locale={locale} /> })}</p>
      )}
      {pending > 0 && (
        <p className="brownout-maintenance__changes">
          {format(
            plural(
              persistence === 'indexeddb' ? m.maintenanceChanges : m.maintenanceChangesInMemory,
              pending,
              locale,
            ),
            { count: String(pending) },
          )}
        </p>
      )}
      {code && (
        <p className="brownout-maintenance__support">
          {m.supportCode}: <code>{code}</code>
        </p>
      )}
      {support !== undefined && <p className="brownout-maintenance__contact">{support}</p>}
    </Root>
  );
}
