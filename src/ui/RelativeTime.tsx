import { type ReactNode, useEffect, useState } from 'react';
import { useBrownoutClient } from '../react/index.js';

/** Props of {@link RelativeTime}. */
export interface RelativeTimeProps {
  /** The moment to describe (epoch ms, on the client's clock). */
  at: number;
  /** The BCP 47 locale. @default the browser's */
  locale?: string | undefined;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// One formatter per locale and style: every ticking <time> asks on each render and each tick, and building
// an Intl formatter costs far more than using one.
const formats = new Map<string, Intl.RelativeTimeFormat>();
const formatFor = (locale: string | undefined, numeric: 'auto' | 'always'): Intl.RelativeTimeFormat => {
  const key = `${numeric} ${locale ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric });
    formats.set(key, format);
  }
  return format;
};

/**
 * The words for `at` relative to `now` ("14 minutes ago", "in 2 hours", "1 second ago"
 * for anything under a second old), by
 * `Intl.RelativeTimeFormat`, and how long until the words change.
 * @example
 * describeTime(0, 14 * 60_000, 'en') // { text: '14 minutes ago', changesInMs: 60_000 }
 */
export function describeTime(
  at: number,
  now: number,
  locale?: string,
): { readonly text: string; readonly changesInMs: number } {
  const format = formatFor(locale, 'auto');
  const delta = at - now;
  const size = Math.abs(delta);
  const [unit, ms]: [Intl.RelativeTimeFormatUnit, number] =
    size < MINUTE
      ? ['second', SECOND]
      : size < HOUR
        ? ['minute', MINUTE]
        : size < DAY
          ? ['hour', HOUR]
          : ['day', DAY];
  // Round towards zero for the past ("14 minutes ago" until the 15th minute is complete).
  const value = delta < 0 ? -Math.floor(size / ms) : Math.floor(size / ms);
  // Never "now" for the past: "as of now" and "made now" say nothing ("1 second ago" does).
  const text =
    delta <= 0 && value === 0 ? formatFor(locale, 'always').format(-1, 'second') : format.format(value, unit);
  const into = size % ms;
  // The past changes words when the next whole unit is complete; the future when it falls below one.
  return { text, changesInMs: delta < 0 ? ms - into : into + 1 };
}

/**
 * A `<time>` that keeps saying how long ago (or how soon) `at` is, re-rendering only itself when the
 * words change — once a second under a minute, once a minute under an hour, and so on — on the client's
 * clock. Its `title` holds the absolute date and time. Not a live region: the ticking is never announced.
 * @example
 * <RelativeTime at={freshness.fetchedAt} /> // "14 minutes ago"
 */
export function RelativeTime({ at, locale }: RelativeTimeProps): ReactNode {
  const { clock, environment } = useBrownoutClient();
  const [now, setNow] = useState(() => clock.now());
  const { text } = describeTime(at, now, locale);
  useEffect(() => {
    let timer: unknown;
    const schedule = (): void => {
      clock.clearTimeout(timer);
      timer = undefined;
      // A hidden tab does no ticking work: the words are brought up to date when it is visible again.
      if (!environment.visible()) return;
      const { changesInMs } = describeTime(at, clock.now(), locale);
      timer = clock.setTimeout(() => {
        setNow(clock.now());
        schedule();
      }, changesInMs);
    };
    setNow(clock.now());
    schedule();
    const off = environment.subscribe(() => {
      if (environment.visible()) setNow(clock.now());
      schedule();
    });
    return () => {
      off();
      clock.clearTimeout(timer);
    };
  }, [clock, environment, at, locale]);
  const date = new Date(at);
  return (
    <time
      className="brownout-time"
      dateTime={Number.isFinite(at) ? date.toISOString() : undefined}
      title={Number.isFinite(at) ? date.toLocaleString(locale) : undefined}
    >
      {text}
    </time>
  );
}

/**
 * Fills `{name}` placeholders of a template with React nodes (a live `<RelativeTime>` for `{age}`);
 * unknown placeholders stay as they are.
 * @example
 * fill('Showing data as of {age}', { age: <RelativeTime at={t} /> })
 */
export function fill(template: string, values: Readonly<Record<string, ReactNode>>): ReactNode[] {
  return template.split(/(\{\w+\})/).map((part, i) => {
    const key = /^\{(\w+)\}$/.exec(part)?.[1];
    // biome-ignore lint/suspicious/noArrayIndexKey: a template's parts never move
    if (key !== undefined && key in values) return <span key={`${i}${key}`}>{values[key]}</span>;
    return part;
  });
}
