import type { ErrorKind } from '../core/index.js';

/** Every text the UI kit shows, replaceable as a whole or in part (i18n). */
export interface BrownoutMessages {
  /** Plain-language headline per error kind. `{dependency}` is the dependency's display name. */
  problemTitle: Record<ErrorKind, string>;
  /** What the user can do next, per error kind. */
  problemHint: Partial<Record<ErrorKind, string>>;
  /** The label before the correlation id the user can quote to support. */
  supportCode: string;
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
};

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export const format = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
