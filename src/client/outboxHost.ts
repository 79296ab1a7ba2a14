import { type BrownoutClient, type Random, systemRandom } from '../core/index.js';
import { Outbox, type OutboxOptions, thawBody } from '../outbox/index.js';

/** The outbox of a client's `writes: 'queue'` dependencies, sending through the core's own fetch. */
export function createOutbox<Name extends string>(
  core: BrownoutClient<Name>,
  coreFetch: BrownoutClient<Name>['fetch'],
  random: Random | undefined,
  options: OutboxOptions | undefined,
): Outbox {
  const declared = new Set<string>(core.dependencies);
  return new Outbox(
    {
      clock: core.clock,
      random: random ?? systemRandom,
      online: () => core.environment.online(),
      knows: (d) => declared.has(d),
      // An open breaker or a server's hold: replay waits for its end instead of failing fast.
      blockedUntil: (d) => {
        const status = core.status(d as Name);
        return status.health === 'down' ? status.retryAt : undefined;
      },
      send: (entry, headers, extra) =>
        coreFetch(entry.dependency as Name, entry.url, {
          method: entry.method,
          headers,
          body: thawBody(entry.body),
          idempotencyKey: entry.idempotencyKey,
          maxAttempts: 1,
          ...(extra?.keepalive ? { keepalive: true } : {}),
        }),
    },
    options,
  );
}

/**
 * Replays when a dependency is back (its breaker closed after a probe, or any real call went through) and
 * when the device is back online; on leaving the page, asks first while writes are held in memory only, and
 * sends each order key's next write once with keepalive. Returns what stops it all.
 */
export function replayOnReturn<Name extends string>(
  core: BrownoutClient<Name>,
  outbox: Outbox,
  queueing: readonly string[],
): () => void {
  const hasQueued = (d: string) => outbox.summary(d).queued > 0;
  const offs: (() => void)[] = [
    core.on('breaker', (e) => {
      if (e.to.state === 'closed' && hasQueued(e.dependency)) void outbox.wake(e.dependency);
    }),
    core.on('success', (e) => {
      if (hasQueued(e.dependency)) void outbox.drain(e.dependency);
    }),
    // Back online: replay what waited (the outbox sends nothing while offline).
    core.on('connectivity', (e) => {
      if (e.online) void outbox.drain();
    }),
  ];
  void outbox.ready.then(() => outbox.drain());
  const page = globalThis as {
    addEventListener?: (type: string, listener: (event: Event) => void) => void;
    removeEventListener?: (type: string, listener: (event: Event) => void) => void;
  };
  if (typeof page.addEventListener === 'function' && typeof page.removeEventListener === 'function') {
    // Writes kept only in this tab's memory are lost with it: the browser asks before the page goes away.
    const guard = (event: Event): void => {
      if (outbox.persistence !== 'memory') return;
      const waiting = queueing.some((d) => {
        const s = outbox.summary(d);
        return s.queued + s.sending + s.needsAuth > 0;
      });
      if (!waiting) return;
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      (event as { returnValue?: unknown }).returnValue = true;
    };
    page.addEventListener('beforeunload', guard);
    // Going away: each order key's next write is sent once with keepalive (it stays stored, same key).
    const leave = (): void => outbox.leave();
    page.addEventListener('pagehide', leave);
    offs.push(() => {
      page.removeEventListener?.('beforeunload', guard);
      page.removeEventListener?.('pagehide', leave);
    });
  }
  return () => {
    for (const off of offs) off();
  };
}
