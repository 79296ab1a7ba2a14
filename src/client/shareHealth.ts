import type { BreakerState, BrownoutClient } from '../core/index.js';

/** Options of health sharing between an app's tabs. */
export interface ShareHealthOptions {
  /**
   * The channel (and storage key prefix) tabs of one app share.
   * @default 'brownout-health'
   */
  channel?: string;
}

type Message =
  | { readonly type: 'open'; readonly dependency: string; readonly state: BreakerState }
  | { readonly type: 'closed'; readonly dependency: string }
  | { readonly type: 'hold'; readonly dependency: string; readonly until: number };

const storageOf = (): Storage | undefined => {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage blocked (privacy settings): share through the channel only
  }
};

/**
 * Shares breaker states and `Retry-After` holds between the tabs of an app, so a second tab does not
 * re-probe a dependency the first already knows is down. The rules:
 * - a breaker that opens in one tab opens in the others until the same `retryAt`, plus one half-open
 *   timeout: the tab that saw the failures sends the probe, and the others wait for its answer;
 * - a probe that succeeds closes the breaker in every tab (no second probe);
 * - a `Retry-After` hold applies in every tab;
 * - a tab that opens later starts from the last shared open state (kept in localStorage until it closes).
 * Browser only; elsewhere it does nothing. Returns the teardown.
 */
export function shareHealth(client: BrownoutClient, options: ShareHealthOptions = {}): () => void {
  // Browsers only: on a server (Node has BroadcastChannel too) there are no tabs to tell.
  if (typeof BroadcastChannel !== 'function' || typeof window === 'undefined') return () => {};
  const name = options.channel ?? 'brownout-health';
  const channel = new BroadcastChannel(name);
  const storage = storageOf();
  const key = (dependency: string) => `${name}:${dependency}`;
  const known = new Set<string>(client.dependencies);
  let applying = false;

  const apply = (message: Message): void => {
    if (!known.has(message.dependency)) return;
    const breaker = client.breaker(message.dependency);
    applying = true;
    try {
      if (message.type === 'open' && message.state.state === 'open') {
        if (breaker.state.state === 'closed') {
          const { halfOpenTimeoutMs } = client.policy(message.dependency).breaker;
          breaker.restore({ ...message.state, retryAt: message.state.retryAt + halfOpenTimeoutMs });
        }
      } else if (message.type === 'closed') {
        if (breaker.state.state !== 'closed') breaker.reset();
      } else if (message.type === 'hold') {
        breaker.hold(message.until);
      }
    } finally {
      applying = false;
    }
  };

  const publish = (message: Message): void => {
    channel.postMessage(message);
    try {
      if (message.type === 'open') storage?.setItem(key(message.dependency), JSON.stringify(message));
      if (message.type === 'closed') storage?.removeItem(key(message.dependency));
    } catch {
      // storage full or blocked: the channel still tells the open tabs
    }
  };

  // A tab that opens later starts from the shared state, if it is still current.
  for (const dependency of known) {
    try {
      const saved = storage?.getItem(key(dependency));
      if (!saved) continue;
      const message = JSON.parse(saved) as Message;
      if (
        message.type === 'open' &&
        message.state.state === 'open' &&
        message.state.retryAt > client.clock.now()
      ) {
        apply(message);
      }
    } catch {
      // unreadable entry: ignore it
    }
  }

  channel.onmessage = (event: MessageEvent<Message>) => apply(event.data);
  const offs = [
    client.on('breaker', (e) => {
      if (applying) return;
      if (e.to.state === 'open' && e.reason !== 'restored')
        publish({ type: 'open', dependency: e.dependency, state: e.to });
      if (e.to.state === 'closed') publish({ type: 'closed', dependency: e.dependency });
    }),
    // A server's hold (clamped by the client) applies in every tab; one set from another tab is not re-sent.
    client.on('hold', (e) => {
      if (applying || e.status === undefined) return;
      publish({ type: 'hold', dependency: e.dependency, until: e.until });
    }),
  ];
  return () => {
    for (const off of offs) off();
    channel.close();
  };
}
