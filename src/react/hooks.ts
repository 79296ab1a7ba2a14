import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Brownout } from '../client/index.js';
import type { BrownoutClient } from '../core/index.js';
import type { OutboxEntry, OutboxSummary, WriteState } from '../outbox/index.js';
import {
  type DegradationLevel,
  type DegradationState,
  type DependencyState,
  type FreshnessState,
  overallLevel,
} from '../store/index.js';
import { useBrownoutClient } from './BrownoutProvider.js';

/** The client `createClient` from `brownout` returns (with its store): the one composed client type. */
export type StoreClient<Name extends string = string> = Brownout<Name>;

const hasStore = (client: BrownoutClient): client is Brownout =>
  'store' in client && client.store !== undefined;

/**
 * The client from {@link BrownoutProvider}, with its store (throws a clear error for a core client).
 * @example
 * const client = useStoreClient(); client.outbox?.retry(id);
 */
export const useStoreClient = (): StoreClient => {
  const client = useBrownoutClient();
  if (!hasStore(client)) {
    throw new Error(
      'Brownout hooks need the client from createClient() (it has the store), not createCoreClient().',
    );
  }
  return client;
};

/**
 * Reads a slice of the store: the component re-renders only when that slice changes (`Object.is`), so a
 * change to one dependency does not wake components of another. Server rendering reads the same state.
 */
export function useBrownoutSelector<T>(
  selector: (state: DegradationState) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  const { store } = useStoreClient();
  const last = useRef<{ value: T } | null>(null);
  const get = (): T => {
    const next = selector(store.getState());
    // A selector that builds a new object each time keeps the previous one while it is equal, so
    // useSyncExternalStore sees a stable snapshot and the component does not re-render.
    if (isEqual && last.current && isEqual(last.current.value, next)) return last.current.value;
    last.current = { value: next };
    return next;
  };
  return useSyncExternalStore(store.subscribe, get, get);
}

/**
 * The degradation level of the app, or of a feature that uses only `dependencies`.
 * @example
 * const level = useDegradation(['reviews', 'pricing']); // 'normal' … 'maintenance'
 */
export function useDegradation(dependencies?: readonly string[]): DegradationLevel {
  const key = dependencies?.join('\u0000');
  const selector = useCallback(
    (state: DegradationState) =>
      key === undefined
        ? state.level
        : overallLevel(key.split('\u0000').map((d) => state.dependencies[d]?.level ?? 'normal')),
    [key],
  );
  return useBrownoutSelector(selector);
}

/** One dependency's state (health, breaker, level, last success and error). */
export function useDependency(name: string): DependencyState | undefined {
  return useBrownoutSelector(useCallback((state: DegradationState) => state.dependencies[name], [name]));
}

/** Where one data key's value came from and when (undefined while nothing was recorded). */
export function useFreshness(key: string): FreshnessState | undefined {
  return useBrownoutSelector(useCallback((state: DegradationState) => state.freshness[key], [key]));
}

const EMPTY_SUMMARY: OutboxSummary = { queued: 0, sending: 0, needsAuth: 0, failed: 0, conflict: 0 };

/**
 * The outbox of one dependency (or all): counts by status, the entries, and where they are kept
 * (`persistence: 'memory'` means they would not survive a reload — say so).
 */
export function useOutbox(dependency?: string): {
  readonly summary: OutboxSummary;
  readonly entries: readonly OutboxEntry[];
  readonly persistence: 'indexeddb' | 'memory' | 'none';
} {
  const client = useStoreClient();
  const outboxState = useBrownoutSelector(useCallback((s: DegradationState) => s.outbox, []));
  const summary =
    dependency === undefined
      ? Object.values(outboxState.dependencies).reduce(
          (sum, s) => ({
            queued: sum.queued + s.queued,
            sending: sum.sending + s.sending,
            needsAuth: sum.needsAuth + s.needsAuth,
            failed: sum.failed + s.failed,
            conflict: sum.conflict + s.conflict,
          }),
          EMPTY_SUMMARY,
        )
      : (outboxState.dependencies[dependency] ?? EMPTY_SUMMARY);
  // The entry list is read when the summary changes: the store already tells when that is.
  const entries = client.outbox?.list(dependency === undefined ? {} : { dependency }) ?? [];
  return { summary, entries, persistence: outboxState.persistence };
}

/** The unsubscribe of a subscription that was never made (no write to watch). */
const unwatched = (): void => {};

/**
 * What became of one write the app made: `queued`, `sending`, `needs-auth`, `failed`, `conflict`, then
 * `sent` or `discarded`; re-renders on each change. Takes the write's id, or anything with one (the
 * `QueuedMutation` of a mutation's `data`, an `OutboxEntry`); `undefined` for none, or for a write this
 * outbox does not know (made before a reload and already sent).
 * @example
 * const saved = useMutation({
 *   ...queuedMutationOptions,
 *   mutationFn: createMutationFn(client, 'orders', (order: Order) => ({
 *     input: '/api/orders', init: { method: 'POST', body: JSON.stringify(order) } })),
 * });
 * const state = useQueuedWrite(isQueuedMutation(saved.data) ? saved.data : undefined); // 'queued' → 'sent'
 */
export function useQueuedWrite(
  write: string | { readonly id: string } | undefined | null,
): WriteState | undefined {
  const { outbox } = useStoreClient();
  // The id, not the object: a new object for the same write (a re-render) keeps the subscription.
  const id = typeof write === 'string' ? write : write?.id;
  const subscribe = useCallback(
    (onChange: () => void) => (outbox && id !== undefined ? outbox.watch(id, onChange) : unwatched),
    [outbox, id],
  );
  // A string: useSyncExternalStore compares snapshots with Object.is, so an unchanged state renders nothing.
  const get = (): WriteState | undefined => (outbox && id !== undefined ? outbox.state(id) : undefined);
  return useSyncExternalStore(subscribe, get, get);
}

/** Whether writes to a dependency can be made now, and how. */
export interface CanWrite {
  /** `send`: it is up; `queue`: down, but writes wait in the outbox; `blocked`: down and writes are rejected. */
  readonly mode: 'send' | 'queue' | 'blocked';
  /** True unless `blocked`. */
  readonly canWrite: boolean;
}

/** Whether the app may offer writes to `dependency` now (a read-only mode when it is `blocked`). */
export function useCanWrite(dependency: string): CanWrite {
  const client = useStoreClient();
  const health = useBrownoutSelector(
    useCallback((s: DegradationState) => s.dependencies[dependency]?.health, [dependency]),
  );
  if (health !== 'down') return SEND;
  return client.policy(dependency).writes === 'queue' ? QUEUE : BLOCKED;
}
const SEND: CanWrite = { mode: 'send', canWrite: true };
const QUEUE: CanWrite = { mode: 'queue', canWrite: true };
const BLOCKED: CanWrite = { mode: 'blocked', canWrite: false };

/**
 * Seconds until a down dependency may be tried again (`retryAt`), ticking once a second on the client's
 * clock; `null` when it is not waiting. Only the component that uses it re-renders as it ticks.
 * @example
 * const countdown = useRetryCountdown('pricing'); // { retryAt, secondsLeft: 12 } → "Retrying in 12 s"
 */
export function useRetryCountdown(
  dependency: string,
): { readonly retryAt: number; readonly secondsLeft: number } | null {
  const client = useStoreClient();
  const retryAt = useBrownoutSelector(
    useCallback((s: DegradationState) => s.dependencies[dependency]?.retryAt, [dependency]),
  );
  const [now, setNow] = useState(() => client.clock.now());
  const timer = useRef<unknown>(undefined);
  useEffect(() => {
    if (retryAt === undefined || !Number.isFinite(retryAt)) return;
    const { clock, environment } = client;
    const tick = (): void => {
      clock.clearTimeout(timer.current);
      timer.current = undefined;
      const t = clock.now();
      setNow(t);
      // A hidden tab does no countdown work: it catches up when it is visible again.
      if (t < retryAt && environment.visible()) {
        // Wake at the next whole second of the countdown, not on a drifting interval.
        const left = retryAt - t;
        timer.current = clock.setTimeout(tick, left % 1000 || 1000);
      }
    };
    tick();
    const off = environment.subscribe(tick);
    return () => {
      off();
      clock.clearTimeout(timer.current);
    };
  }, [client, retryAt]);
  if (retryAt === undefined) return null;
  return {
    retryAt,
    secondsLeft: Number.isFinite(retryAt) ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : Infinity,
  };
}
