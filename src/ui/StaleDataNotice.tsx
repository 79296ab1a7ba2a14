import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useBrownoutSelector, useStoreClient } from '../react/index.js';
import { type DegradationState, type FreshnessState, shallowEqual } from '../store/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import { type DeepPartialMessages, format } from './messages.js';
import { fill, RelativeTime } from './RelativeTime.js';

/** Props of {@link StaleDataNotice}. */
export interface StaleDataNoticeProps {
  /** The dependency the data comes from. */
  dependency: string;
  /**
   * The data key (`createQueryFn`'s query hash, or the client's `cacheKey`); default the oldest value
   * of `dependency` shown from the cache.
   */
  freshnessKey?: string;
  /** Also say how old fresh data is ("Pricing data updated 2 minutes ago"). @default false */
  showWhenFresh?: boolean;
  messages?: DeepPartialMessages;
}

/** Whether a value on screen is fresh, served from the cache, or too old to show. */
export type FreshnessView = 'fresh' | 'stale' | 'expired';

/**
 * For one piece of data: "Pricing data is temporarily unavailable — showing last updated values from 14
 * minutes ago", the age ticking on its own (nothing above it re-renders); past the dependency's
 * `maxStaleMs` it says the saved values are too old. Renders nothing while the data is fresh (unless
 * `showWhenFresh`). State: `data-freshness="fresh" | "stale" | "expired"`.
 * @example
 * <StaleDataNotice dependency="pricing" />
 */
export function StaleDataNotice({
  dependency,
  freshnessKey,
  showWhenFresh = false,
  messages,
}: StaleDataNoticeProps): ReactNode {
  const { clock } = useStoreClient();
  const freshness = useBrownoutSelector(
    useCallback(
      (state: DegradationState): FreshnessState | undefined => {
        if (freshnessKey !== undefined) return state.freshness[freshnessKey];
        // The oldest cached value is the one to warn about; else the newest fresh one (kept by the store as
        // freshness changes: no scan of every key).
        const of = state.freshnessOf[dependency];
        return of?.oldestCached ?? of?.newestFresh;
      },
      [dependency, freshnessKey],
    ),
    shallowEqual,
  );
  const { messages: m, locale, label } = useUIText(messages);
  const staleAt = freshness?.source === 'cache' ? freshness.staleAt : undefined;
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    if (staleAt === undefined) return setExpired(false);
    const left = staleAt - clock.now();
    setExpired(left <= 0);
    if (left <= 0) return;
    const timer = clock.setTimeout(() => setExpired(true), left);
    return () => clock.clearTimeout(timer);
  }, [clock, staleAt]);
  if (!freshness) return null;
  const view: FreshnessView = freshness.source === 'network' ? 'fresh' : expired ? 'expired' : 'stale';
  if (view === 'fresh' && !showWhenFresh) return null;
  const name = label(dependency);
  const age = <RelativeTime at={freshness.fetchedAt} locale={locale} />;
  const text =
    view === 'expired'
      ? format(m.expiredNotice, { dependency: name })
      : fill(view === 'stale' ? m.staleNotice : m.freshNotice, { dependency: name, age });
  return (
    <p className="brownout-notice" data-freshness={view} data-dependency={dependency}>
      <span className="brownout-notice__icon" aria-hidden="true">
        {view === 'fresh' ? '✓' : '⚠'}
      </span>{' '}
      {text}
    </p>
  );
}
