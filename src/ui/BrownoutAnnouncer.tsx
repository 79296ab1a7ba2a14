import { type ReactNode, useEffect, useRef, useState } from 'react';
import { type StoreClient, useStoreClient } from '../react/index.js';
import { AnnouncementPlanner, type Change, CONNECTION } from './announcements.js';
import { listOf, useUIText } from './BrownoutUIProvider.js';
import { type BrownoutMessages, type DeepPartialMessages, format } from './messages.js';
import { SITUATION_ORDER, type Situation, type Summary, summarize } from './situations.js';

/** Props of {@link BrownoutAnnouncer}. */
export interface BrownoutAnnouncerProps {
  messages?: DeepPartialMessages;
  /**
   * Among several announcers of one client, the one with the highest priority speaks (the UI provider's
   * is 1, a banner's 0): a region inside something that unmounts hands over without a word lost or said twice.
   * @default 0
   */
  priority?: number;
}

interface Said {
  readonly text: string;
  readonly assertive: boolean;
}

interface Region {
  readonly priority: number;
  readonly id: symbol;
  /** What it shows: `undefined` when it is not the speaker (it renders nothing). */
  render(said: Said | null | undefined): void;
  /** The words for `changes`, given the store's summary they were planned from. */
  compose(changes: readonly Change[], summary: Summary): Said | undefined;
}

/** One planner per client, shared by every announcer of it; the one with the highest priority speaks. */
interface Shared {
  readonly planner: AnnouncementPlanner;
  readonly regions: Region[];
  said: Said | null;
  stop(): void;
}
const shared = new WeakMap<object, Shared>();

const speaker = (s: Shared): Region | undefined =>
  s.regions.reduce<Region | undefined>(
    (best, r) => (!best || r.priority > best.priority ? r : best),
    undefined,
  );

function join(client: StoreClient, region: Region): () => void {
  let s = shared.get(client);
  if (!s) {
    // The summary of the store as it is now (kept from its last change, also for the planner's timers).
    let latest = summarize(client.store.getState());
    const planner = new AnnouncementPlanner(client.clock, {}, (changes) => {
      const current = shared.get(client);
      const active = current && speaker(current);
      const said = active?.compose(changes, latest);
      if (!current || !active || !said) return;
      current.said = said;
      active.render(said);
    });
    const update = (): void => {
      const state = client.store.getState();
      latest = summarize(state);
      planner.update(latest, state.online);
    };
    update();
    const off = client.store.subscribe(update);
    const created: Shared = {
      planner,
      regions: [],
      said: null,
      stop: () => {
        off();
        planner.dispose();
      },
    };
    shared.set(client, created);
    s = created;
  }
  const mine = s;
  mine.regions.push(region);
  for (const r of mine.regions) r.render(r === speaker(mine) ? mine.said : undefined);
  return () => {
    mine.regions.splice(mine.regions.indexOf(region), 1);
    const next = speaker(mine);
    if (!next) {
      mine.stop();
      shared.delete(client);
      return;
    }
    // The new speaker keeps showing what was said, so nothing is lost and nothing is said again.
    next.render(mine.said);
  };
}

/** The words for a set of changes said together, most severe first. */
export function composeAnnouncement(
  changes: readonly Change[],
  m: BrownoutMessages,
  label: (dependency: string) => string,
  locale: string | undefined,
  context: { persistence: 'indexeddb' | 'memory' | 'none'; online: boolean; pendingWrites?: number },
): Said | undefined {
  const names = (list: readonly Change[]): string =>
    listOf(
      list.map((c) => label(c.subject)),
      locale,
    );
  const parts: string[] = [];
  const connection = changes.find((c) => c.subject === CONNECTION);
  if (connection?.to === 'offline') parts.push(`${m.headline.offline}. ${m.line.offline}`);
  const deps = changes.filter((c) => c.subject !== CONNECTION);
  for (const situation of SITUATION_ORDER) {
    const group = deps.filter((c) => c.to === situation);
    if (group.length === 0) continue;
    parts.push(lineFor(situation, names(group), m, context));
  }
  const upToDate = deps.filter((c) => c.to === 'normal' && c.from === 'cached');
  const recovered = deps.filter((c) => c.to === 'normal' && c.from !== 'cached');
  if (connection?.to === 'normal') parts.push(m.announceOnline);
  if (upToDate.length > 0) parts.push(format(m.announceUpToDate, { dependencies: names(upToDate) }));
  if (recovered.length > 0) parts.push(format(m.announceRecovered, { dependencies: names(recovered) }));
  if (parts.length === 0) return undefined;
  return { text: parts.join(' '), assertive: deps.some((c) => c.to === 'maintenance') };
}

/** The banner's (and the live region's) sentence for a situation. */
export function lineFor(
  situation: Situation,
  dependencies: string,
  m: BrownoutMessages,
  context: { persistence: 'indexeddb' | 'memory' | 'none'; online: boolean; pendingWrites?: number },
): string {
  if (situation === 'queued') {
    if (!context.online) return m.queuedOffline;
    if (context.pendingWrites === 0) return m.queuedNone;
    if (context.persistence !== 'indexeddb') return m.queuedInMemory;
  }
  return format(m.line[situation], { dependencies });
}

/**
 * The kit's one live region. It tells what changed and for whom — "Prices may be out of date.", "Working
 * again: Prices." — a worsening at once (`maintenance` assertively), a recovery only once it has held 5 s,
 * never two announcements about one dependency within 5 s, and nothing else (ticking ages and countdowns
 * are never announced). {@link BrownoutUIProvider} and {@link DegradationBanner} render it; one speaks.
 * @example
 * <BrownoutAnnouncer />
 */
export function BrownoutAnnouncer({ messages, priority = 0 }: BrownoutAnnouncerProps): ReactNode {
  const client = useStoreClient();
  const { messages: m, label, locale } = useUIText(messages);
  const [said, setSaid] = useState<Said | null | undefined>(undefined);
  const text = useRef({ m, label, locale });
  text.current = { m, label, locale };
  useEffect(() => {
    const region: Region = {
      priority,
      id: Symbol('announcer'),
      render: (s) => setSaid(s),
      compose: (changes, summary) => {
        const state = client.store.getState();
        const { m: words, label: name, locale: lang } = text.current;
        return composeAnnouncement(changes, words, name, lang, {
          persistence: state.outbox.persistence,
          online: state.online,
          pendingWrites: summary.pendingWrites,
        });
      },
    };
    const leave = join(client, region);
    return () => {
      leave();
      setSaid(undefined);
    };
  }, [client, priority]);
  // Not the speaker (or not mounted yet): nothing rendered, so there is one live region per client.
  if (said === undefined) return null;
  // Both regions exist from the start (a region added together with its text is often not read).
  return (
    <div className="brownout-visually-hidden" data-brownout-announcer="">
      <div role="status" aria-live="polite" aria-atomic="true">
        {said && !said.assertive ? said.text : ''}
      </div>
      <div role="alert" aria-live="assertive" aria-atomic="true">
        {said?.assertive ? said.text : ''}
      </div>
    </div>
  );
}
