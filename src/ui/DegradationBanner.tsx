import { type ReactNode, useCallback, useId } from 'react';
import { useBrownoutSelector } from '../react/index.js';
import { type DegradationLevel, type DegradationState, overallLevel, shallowEqual } from '../store/index.js';
import { BrownoutAnnouncer } from './BrownoutAnnouncer.js';
import { listOf, useUIText } from './BrownoutUIProvider.js';
import { type DeepPartialMessages, format, plural } from './messages.js';
import { fill, RelativeTime } from './RelativeTime.js';
import { RetryCountdown } from './RetryCountdown.js';

/** Props of {@link DegradationBanner}. */
export interface DegradationBannerProps {
  /** Only these dependencies (a page's banner); default all. */
  dependencies?: readonly string[];
  /** Called by "Retry now" after one probe was let through: refetch what the page shows. */
  onRetry?: () => void;
  /** Renders the kit's live region ({@link BrownoutAnnouncer}). @default true */
  announce?: boolean;
  messages?: DeepPartialMessages;
}

interface BannerView {
  readonly level: DegradationLevel;
  /** The dependencies at that level, worst first. */
  readonly culprits: readonly string[];
  /** The one whose next try comes first (for the countdown). */
  readonly nextTry: string | undefined;
  /** The oldest value shown from the cache for the culprits. */
  readonly oldestCachedAt: number | undefined;
}

/**
 * The app-wide banner, by level: `partial` "Some features are temporarily unavailable", `minimal` "You
 * can browse, but changes will be sent when Orders is back", `cached` "Showing data as of 14 minutes
 * ago" (the age keeps ticking), `maintenance`; with "Retrying in 12 s" and "Retry now" where a try is
 * due. Absent at `normal`. The level is in `data-level`; the icon and words, not colour alone, carry
 * it. It also renders the kit's one live region, which says each change of level once.
 * @example
 * <DegradationBanner onRetry={() => queryClient.refetchQueries({ type: 'active' })} />
 */
export function DegradationBanner({
  dependencies,
  onRetry,
  announce = true,
  messages,
}: DegradationBannerProps): ReactNode {
  const key = dependencies?.join('\u0000');
  const view = useBrownoutSelector(
    useCallback(
      (state: DegradationState): BannerView => {
        const names = key === undefined ? Object.keys(state.dependencies) : key.split('\u0000');
        const deps = names.flatMap((n) => state.dependencies[n] ?? []);
        const level = overallLevel(deps.map((d) => d.level));
        const culprits = deps.filter((d) => d.level === level && level !== 'normal');
        let nextTry: string | undefined;
        let nextAt = Number.POSITIVE_INFINITY;
        for (const d of culprits) {
          if (d.retryAt !== undefined && d.retryAt < nextAt) {
            nextAt = d.retryAt;
            nextTry = d.name;
          }
        }
        let oldestCachedAt: number | undefined;
        const culpritNames = new Set(culprits.map((d) => d.name));
        for (const f of Object.values(state.freshness)) {
          if (f.source === 'cache' && culpritNames.has(f.dependency)) {
            oldestCachedAt = Math.min(oldestCachedAt ?? f.fetchedAt, f.fetchedAt);
          }
        }
        return { level, culprits: culprits.map((d) => d.name), nextTry, oldestCachedAt };
      },
      [key],
    ),
    shallowEqual,
  );
  const { messages: m, locale, label } = useUIText(messages);
  const titleId = useId();
  const announcer = announce ? <BrownoutAnnouncer {...(messages ? { messages } : {})} /> : null;
  if (view.level === 'normal') return announcer;
  const level = view.level;
  const names = listOf(view.culprits.map(label), locale);
  const title =
    level === 'cached'
      ? view.oldestCachedAt === undefined
        ? format(m.bannerTitleCachedNoAge, { dependencies: names })
        : fill(m.bannerTitle.cached, { age: <RelativeTime at={view.oldestCachedAt} locale={locale} /> })
      : format(m.bannerTitle[level], { dependencies: names });
  const detail = format(plural(m.bannerDetail[level], view.culprits.length, locale), { dependencies: names });
  return (
    <>
      {announcer}
      <section className="brownout-banner" data-level={level} aria-labelledby={titleId}>
        <span className="brownout-banner__icon" aria-hidden="true">
          {level === 'partial' ? 'ℹ' : '⚠'}
        </span>
        <div className="brownout-banner__body">
          <p className="brownout-banner__title" id={titleId}>
            {title}
          </p>
          <p className="brownout-banner__detail">{detail}</p>
        </div>
        {view.nextTry !== undefined && (
          <RetryCountdown
            dependency={view.nextTry}
            {...(onRetry ? { onRetry } : {})}
            {...(messages ? { messages } : {})}
          />
        )}
      </section>
    </>
  );
}
