import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useDegradation, useStoreClient } from '../react/index.js';
import { LEVEL_ORDER } from '../store/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import type { DeepPartialMessages } from './messages.js';

/** Props of {@link BrownoutAnnouncer}. */
export interface BrownoutAnnouncerProps {
  messages?: DeepPartialMessages;
}

// One announcer per store: a second one (two banners, StrictMode's double mount) stays silent.
const owners = new WeakMap<object, symbol>();

/**
 * The kit's one live region: says a change of the app's level once — a worsening or an improvement
 * politely, `maintenance` assertively — and nothing else (ticking ages and countdowns are never
 * announced). {@link DegradationBanner} renders it; render it yourself only without a banner.
 * @example
 * <BrownoutAnnouncer />
 */
export function BrownoutAnnouncer({ messages }: BrownoutAnnouncerProps): ReactNode {
  const { store } = useStoreClient();
  const level = useDegradation();
  const { messages: m } = useUIText(messages);
  const [owner, setOwner] = useState(false);
  const [said, setSaid] = useState<{ text: string; assertive: boolean } | null>(null);
  const previous = useRef(level);
  useEffect(() => {
    if (owners.has(store)) return;
    const me = Symbol('announcer');
    owners.set(store, me);
    setOwner(true);
    return () => {
      if (owners.get(store) === me) owners.delete(store);
      setOwner(false);
    };
  }, [store]);
  useEffect(() => {
    if (previous.current === level) return;
    const worse = LEVEL_ORDER.indexOf(level) > LEVEL_ORDER.indexOf(previous.current);
    previous.current = level;
    setSaid({ text: m.announce[level], assertive: worse && level === 'maintenance' });
  }, [level, m]);
  if (!owner) return null;
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
