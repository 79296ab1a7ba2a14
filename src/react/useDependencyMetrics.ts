import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { DependencyMetrics } from '../core/index.js';
import { useBrownoutClient } from './BrownoutProvider.js';

const SERVER_SNAPSHOT: DependencyMetrics | null = null;

/**
 * The live counters of one dependency (calls, retries, errors by class, latency quantiles). Re-renders
 * only when a call to that dependency ends or retries; the snapshot keeps its identity in between.
 * Returns `null` during server rendering.
 * @example
 * const m = useDependencyMetrics('pricing');
 * return <span>{m?.retries ?? 0} retries</span>;
 */
export function useDependencyMetrics(dependency: string): DependencyMetrics | null {
  const client = useBrownoutClient();
  const cache = useRef<{ client: unknown; dependency: string; value: DependencyMetrics } | null>(null);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const changed = (event: { dependency: string }): void => {
        if (event.dependency !== dependency) return;
        cache.current = null;
        onChange();
      };
      const offs = [
        client.on('success', changed),
        client.on('give-up', changed),
        client.on('retry', changed),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
    [client, dependency],
  );
  const getSnapshot = (): DependencyMetrics => {
    const c = cache.current;
    if (c && c.client === client && c.dependency === dependency) return c.value;
    const value = client.metrics(dependency);
    cache.current = { client, dependency, value };
    return value;
  };
  return useSyncExternalStore(subscribe, getSnapshot, () => SERVER_SNAPSHOT);
}
