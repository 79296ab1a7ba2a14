import type { ErrorKind } from '../core/index.js';
import type { OutboxStatus } from '../outbox/index.js';
import type { DegradationLevel } from '../store/index.js';
import type { Situation } from './situations.js';

/** A text that depends on a count, by `Intl.PluralRules` category (`other` is the fallback). */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** A level other than `normal`: the levels a banner shows. */
export type DegradedLevel = Exclude<DegradationLevel, 'normal'>;

/**
 * Every text the UI kit shows, replaceable as a whole or in part (i18n). Placeholders in braces are
 * filled in: `{dependency}` / `{dependencies}` (display names), `{age}` (a relative time such as
 * "14 minutes ago"), `{count}`, `{seconds}`, `{time}`.
 */
export interface BrownoutMessages {
  /** Plain-language headline per error kind. `{dependency}` is the dependency's display name. */
  problemTitle: Record<ErrorKind, string>;
  /** What the user can do next, per error kind. */
  problemHint: Partial<Record<ErrorKind, string>>;
  /** The label before the correlation id the user can quote to support. */
  supportCode: string;
  /**
   * The banner's headline: the most severe situation's. `cached` has `{age}` (used when the age of the
   * saved data is known; else the `cached` line is the headline).
   */
  headline: Record<Situation, string>;
  /**
   * One whole sentence per situation, most severe first, on the banner and said by the live region when a
   * dependency gets into it. `{dependencies}` is the list of display names (nouns, singular or plural:
   * the sentences need no verb agreement).
   */
  line: Record<Situation, string>;
  /** The `queued` line when the writes are kept only in this tab's memory (never "kept on this device"). */
  queuedInMemory: string;
  /** The `queued` line while offline. */
  queuedOffline: string;
  /** The `queued` line when no change is waiting yet (a change made now would be queued). */
  queuedNone: string;
  /** After the `cached` line when another situation heads the banner: `{age}` of the saved data. */
  savedAt: string;
  /** Added for dependencies a server's `Retry-After` holds: it answered, and asked us to wait. */
  busy: string;
  /** Said when dependencies are working again (a recovery that has held for a few seconds). */
  announceRecovered: string;
  /** Said when dependencies whose data was out of date are up to date again. */
  announceUpToDate: string;
  /** Said when the device is back online. */
  announceOnline: string;
  /** The button that asks for one probe now. */
  retryNow: string;
  /** The countdown to the next automatic try. */
  retryingIn: string;
  /** The countdown when it has reached zero (a probe is due or in flight). */
  retryingNow: string;
  /** Why "Retry now" is unavailable: the server asked the app to wait. */
  retryHeld: string;
  /** One piece of data shown from the cache. */
  staleNotice: string;
  /** One piece of data whose cached copy is too old to show. */
  expiredNotice: string;
  /** One piece of data, fresh (shown only with `showWhenFresh`). */
  freshNotice: string;
  /** Why a write control is disabled (read-only mode). */
  readOnly: string;
  /** What happens to a write made now to a dependency that queues. */
  willQueue: string;
  /** Writes waiting to be sent (queued, sending, or waiting for sign-in). */
  queuedCount: PluralMessage;
  /** Writes that need the user (failed or conflict). */
  needsAttentionCount: PluralMessage;
  /** A queued write's status, in words. */
  outboxStatus: Record<OutboxStatus, string>;
  /** When a write was made: "{age}". */
  queuedAt: string;
  /** Shown when queued writes live only in this tab's memory. */
  memoryOnly: string;
  /** A queued write in the user's words when the app gives no `describe`: `{dependency}` is its label. */
  changeTo: string;
  /**
   * Writes that wait for the user to sign in again (the service answered 401 or 403; credentials are never
   * stored with a queued write): `{count}`. Shown outside the list, with "Sign in" and "Send now".
   */
  needsSignIn: PluralMessage;
  /** The button that calls the app's `onSignIn`. */
  signIn: string;
  /** The button that sends the writes that wait for sign-in (for a user who signed in elsewhere). */
  sendNow: string;
  /** The writes the sign-in buttons act on, in their accessible names, when there is more than one: `{count}`. */
  savedChanges: PluralMessage;
  /** Why a write could not be sent, and what the user can do: by the answer the service gave. */
  failedBecause: {
    /** 401 or 403 on a write reported failed (a replay makes these `needs-auth`, not `failed`). */
    auth: string;
    /** 404 or 410: what it changes no longer exists. */
    gone: string;
    /** Any other refusal. */
    rejected: string;
  };
  /** Buttons of a failed write. */
  retryWrite: string;
  discardWrite: string;
  /** Asked before a write is discarded for good. */
  discardConfirm: string;
  /** The safe answer to {@link BrownoutMessages.discardConfirm}. */
  keepWrite: string;
  /** A conflict about which the service said nothing of its own (its title and detail are shown when it did). */
  conflictBecause: string;
  /** Buttons of a conflicting write: send it over the server's version, or drop it for the server's. */
  keepMine: string;
  useTheirs: string;
  /** Asked before {@link BrownoutMessages.keepMine} overwrites the server's version. */
  keepMineConfirm: string;
  /** Asked before {@link BrownoutMessages.useTheirs} drops the user's change. */
  useTheirsConfirm: string;
  /** The safe answer to {@link BrownoutMessages.keepMineConfirm} and {@link BrownoutMessages.useTheirsConfirm}. */
  cancel: string;
  /** The full page at `maintenance`. */
  maintenanceTitle: string;
  maintenanceBody: string;
  /** When it is expected back (only from a server's `Retry-After` or the app's `backAt`): `{time}`. */
  maintenanceBackAt: string;
  /** The user's changes that wait safely on this device during the outage: `{count}`. */
  maintenanceChanges: PluralMessage;
  /** The same when they are kept only in this tab's memory. */
  maintenanceChangesInMemory: PluralMessage;
  /** The operator's panel. */
  panel: {
    title: string;
    dependency: string;
    level: string;
    breaker: string;
    since: string;
    p95: string;
    p99: string;
    errorRate: string;
    retryRate: string;
    queued: string;
    lastProblem: string;
    none: string;
    transitions: string;
    noTransitions: string;
  };
}

/** The English defaults. Never includes server text: titles from servers are shown only as details. */
export const defaultMessages: BrownoutMessages = {
  problemTitle: {
    timeout: '{dependency} is taking too long to answer',
    network: 'We could not reach {dependency}',
    http: '{dependency} could not complete the request',
    'breaker-open': '{dependency} is temporarily unavailable',
    'budget-exhausted': '{dependency} is having trouble right now',
    aborted: 'The request was cancelled',
    parse: '{dependency} sent something we could not read',
    'queue-full': '{dependency} is busy right now',
  },
  problemHint: {
    timeout: 'Please try again in a moment.',
    network: 'Check your connection, then try again.',
    http: 'Please try again later.',
    'breaker-open': 'We will try again automatically.',
    'budget-exhausted': 'We will try again automatically.',
    'queue-full': 'Please try again in a moment.',
  },
  supportCode: 'Support code',
  headline: {
    offline: "You're offline",
    maintenance: 'Sorry, there is a problem with the service',
    cached: 'Showing saved data from {age}',
    queued: 'Your changes will be sent later',
    hidden: 'Some parts of this page are unavailable for now',
    slow: 'Taking longer than usual…',
  },
  line: {
    offline: "Check your connection. We'll carry on when you're back online.",
    maintenance: "{dependencies} can't be used right now.",
    cached: '{dependencies} may be out of date.',
    queued: 'Your changes are saved on this device and will be sent later.',
    hidden: "{dependencies} can't be shown right now.",
    slow: 'Loading {dependencies} is taking longer than usual…',
  },
  queuedInMemory: 'Your changes will be sent later. Keep this tab open: they are not saved on this device.',
  queuedOffline: "Your changes will be sent when you're back online.",
  queuedNone: 'Changes you make now will be saved and sent later.',
  savedAt: 'Saved {age}.',
  busy: 'The service for {dependencies} is busy and asked us to wait.',
  announceRecovered: 'Working again: {dependencies}.',
  announceUpToDate: 'Up to date again: {dependencies}.',
  announceOnline: "You're back online.",
  retryNow: 'Retry now',
  retryingIn: 'Retrying in {seconds} s',
  retryingNow: 'Trying again…',
  retryHeld: 'The service asked us to wait before trying again.',
  staleNotice: '{dependency} may be out of date: showing what was saved {age}',
  expiredNotice: "{dependency} can't be shown right now, and the saved copy is too old to show",
  freshNotice: '{dependency} updated {age}',
  readOnly: "{dependency} can't be changed right now.",
  willQueue: "{dependency} can't be reached right now: your change will be saved and sent later.",
  queuedCount: { one: '{count} change waiting to be sent', other: '{count} changes waiting to be sent' },
  needsAttentionCount: {
    one: '{count} change could not be sent',
    other: '{count} changes could not be sent',
  },
  outboxStatus: {
    queued: 'Waiting',
    sending: 'Sending…',
    'needs-auth': 'Waiting for sign-in',
    failed: 'Not sent',
    conflict: 'Changed by someone else',
  },
  queuedAt: 'made {age}',
  memoryOnly: 'These changes are kept only in this tab: closing it loses them.',
  changeTo: 'A change to {dependency}',
  needsSignIn: {
    one: 'Sign in again to send your saved change',
    other: 'Sign in again to send your {count} saved changes',
  },
  signIn: 'Sign in',
  sendNow: 'Send now',
  savedChanges: { one: '{count} saved change', other: '{count} saved changes' },
  failedBecause: {
    auth: 'Sign in again, then press Retry to send it.',
    gone: 'It can no longer be sent: what it changes is gone.',
    rejected: 'It was not accepted. You can try again or discard it.',
  },
  retryWrite: 'Retry',
  discardWrite: 'Discard',
  discardConfirm: 'Discard this change for good?',
  keepWrite: 'Keep it',
  conflictBecause: 'It was changed somewhere else after you made this change.',
  keepMine: 'Keep mine',
  useTheirs: 'Use theirs',
  keepMineConfirm: 'Replace the newer version on the server with your change?',
  useTheirsConfirm: 'Drop your change and use the version on the server?',
  cancel: 'Cancel',
  maintenanceTitle: 'Sorry, there is a problem with the service',
  maintenanceBody: 'You cannot use it right now. Please try again later.',
  maintenanceBackAt: 'You should be able to use it again {time}.',
  maintenanceChanges: {
    one: 'Your change is saved on this device and will be sent when the service is back.',
    other: 'Your {count} changes are saved on this device and will be sent when the service is back.',
  },
  maintenanceChangesInMemory: {
    one: 'Your change will be sent when the service is back. Keep this tab open: it is not saved on this device.',
    other:
      'Your {count} changes will be sent when the service is back. Keep this tab open: they are not saved on this device.',
  },
  panel: {
    title: 'Dependency health',
    dependency: 'Dependency',
    level: 'Level',
    breaker: 'Breaker',
    since: 'since {age}',
    p95: 'p95',
    p99: 'p99',
    errorRate: 'Errors',
    retryRate: 'Retries',
    queued: 'Queued writes',
    lastProblem: 'Last problem',
    none: '—',
    transitions: 'Recent changes',
    noTransitions: 'No changes yet',
  },
};

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export const format = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** Picks the text for `count` by the locale's plural rules. */
export const plural = (message: PluralMessage, count: number, locale?: string): string =>
  message[new Intl.PluralRules(locale).select(count)] ?? message.other;

/**
 * Merges replacement texts over the defaults, one level deep (so `{ panel: { title: 'Health' } }`
 * keeps the panel's other texts).
 */
export function mergeMessages(
  base: BrownoutMessages,
  override: DeepPartialMessages | undefined,
): BrownoutMessages {
  if (!override) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      typeof value === 'object' && typeof current === 'object' && current !== null
        ? { ...current, ...value }
        : value;
  }
  return out as unknown as BrownoutMessages;
}

/** Replacement texts: any subset, one level deep. */
export type DeepPartialMessages = {
  [K in keyof BrownoutMessages]?: BrownoutMessages[K] extends string ? string : Partial<BrownoutMessages[K]>;
};
