import { type ReactNode, useCallback, useId } from 'react';
import { useBrownoutSelector } from '../react/index.js';
import { type DegradationLevel, type DegradationState, overallLevel } from '../store/index.js';
import { BrownoutAnnouncer, lineFor } from './BrownoutAnnouncer.js';
import { listOf, useUIText } from './BrownoutUIProvider.js';
import { type DeepPartialMessages, format } from './messages.js';
import { fill, RelativeTime } from './RelativeTime.js';
import { RetryCountdown } from './RetryCountdown.js';
import { type Summary, sameSummary, summarize } from './situations.js';

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

/**
 * The app-wide banner: a headline for the most severe situation and one whole sentence for every affected
 * part, most severe first — "Showing saved data from 3 minutes ago · Prices may be out of date · Your
 * changes are saved on this device and will be sent later · Reviews can't be shown right now" — offline
 * told as offline ("You're offline"), a server's `Retry-After` as busy, slowness as "taking longer than
 * usual"; with "Retrying in 12 s" and "Retry now" where a try is due. Absent when nothing is to be told.
 * The level is in `data-level`, the most severe situation in `data-situation`; the icon and words, not
 * colour alone, carry it. It also renders the kit's live region (see {@link BrownoutAnnouncer}).
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
    useCallback((state: DegradationState) => bannerView(state, key), [key]),
    sameView,
  );
  const { messages: m, locale, label } = useUIText(messages);
  const titleId = useId();
  const announcer = announce ? <BrownoutAnnouncer {...(messages ? { messages } : {})} /> : null;
  const { summary } = view;
  const first = summary.groups[0];
  if (!first) return announcer;
  const names = (list: readonly string[]): string => listOf(list.map(label), locale);
  const context = {
    persistence: view.persistence,
    online: view.online,
    pendingWrites: summary.pendingWrites,
  };
  const age =
    summary.oldestCachedAt === undefined ? undefined : (
      <RelativeTime at={summary.oldestCachedAt} locale={locale} />
    );
  // One sentence per situation, most severe first: `text` for comparing, `node` for showing.
  const lines: { text: string; node: ReactNode }[] = [];
  for (const group of summary.groups) {
    const text = lineFor(group.situation, names(group.dependencies), m, context);
    // Under another headline (offline, maintenance), the saved data's age goes with its line.
    const dated = group.situation === 'cached' && first.situation !== 'cached' && age;
    lines.push({
      text,
      node: dated ? (
        <>
          {text} {fill(m.savedAt, { age })}
        </>
      ) : (
        text
      ),
    });
    // A server that asked us to wait answered: say so next to what it means for the user.
    const busy = group.dependencies.filter((d) => summary.busy.includes(d));
    if (busy.length > 0) {
      const said = format(m.busy, { dependencies: names(busy) });
      lines.push({ text: said, node: said });
    }
  }
  // No age to tell, or no change waiting yet: the first line is the headline (never a claim about nothing).
  const lineIsTitle =
    (first.situation === 'cached' && age === undefined) ||
    (first.situation === 'queued' && summary.pendingWrites === 0);
  const title: ReactNode =
    first.situation === 'cached' && age
      ? fill(m.headline.cached, { age })
      : lineIsTitle
        ? lines[0]?.text
        : format(m.headline[first.situation], { dependencies: names(first.dependencies) });
  const shown = lineIsTitle ? lines.slice(1) : lines;
  return (
    <>
      {announcer}
      <section
        className="brownout-banner"
        data-level={view.level}
        data-situation={first.situation}
        aria-labelledby={titleId}
      >
        <span className="brownout-banner__icon" aria-hidden="true">
          {first.situation === 'hidden' || first.situation === 'slow' ? 'ℹ' : '⚠'}
        </span>
        <div className="brownout-banner__body">
          <p className="brownout-banner__title" id={titleId}>
            {title}
          </p>
          {shown.length === 1 ? (
            <p className="brownout-banner__detail">{shown[0]?.node}</p>
          ) : shown.length > 1 ? (
            <ul className="brownout-banner__detail brownout-banner__lines">
              {shown.map(({ text, node }) => (
                <li key={text}>{node}</li>
              ))}
            </ul>
          ) : null}
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

interface BannerView {
  readonly level: DegradationLevel;
  readonly summary: Summary;
  readonly online: boolean;
  readonly persistence: DegradationState['outbox']['persistence'];
  /** The down dependency whose next try comes first, or whose probe is out (for the countdown). */
  readonly nextTry: string | undefined;
}

function bannerView(state: DegradationState, key: string | undefined): BannerView {
  const names = key === undefined ? undefined : key.split('\u0000');
  const summary = summarize(state, names);
  const deps = (names ?? Object.keys(state.dependencies)).flatMap((n) => state.dependencies[n] ?? []);
  let nextTry: string | undefined;
  let nextAt = Number.POSITIVE_INFINITY;
  for (const d of deps) {
    if (d.level === 'normal') continue;
    const at = d.breaker === 'half-open' ? Number.NEGATIVE_INFINITY : d.retryAt;
    if (at !== undefined && at < nextAt) {
      nextAt = at;
      nextTry = d.name;
    }
  }
  return {
    level: overallLevel(deps.map((d) => d.level)),
    summary,
    online: state.online,
    persistence: state.outbox.persistence,
    nextTry,
  };
}

const sameView = (a: BannerView, b: BannerView): boolean =>
  a.level === b.level &&
  a.online === b.online &&
  a.persistence === b.persistence &&
  a.nextTry === b.nextTry &&
  sameSummary(a.summary, b.summary);
