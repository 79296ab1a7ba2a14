/**
 * Which tabs are still open, so an entry a closed tab was sending is picked up at once rather than after
 * its lease runs out. Each outbox holds a Web Lock named after its tab for as long as it lives; the browser
 * releases it when the tab goes, whatever the way.
 */
export interface TabRegistry {
  /** Holds this tab's lock until `release` is called; `held` resolves once the lock is granted. */
  hold(tab: string): { readonly held: Promise<void>; release(): void };
  /** The tabs of `tabs` whose lock is still held. */
  alive(tabs: readonly string[]): Promise<ReadonlySet<string>>;
}

/** The part of the Web Locks API the registry uses. */
export type TabLocks = Pick<LockManager, 'request' | 'query'>;

/** A registry on Web Locks, or `undefined` without them (then leases alone decide). */
export function createTabRegistry(
  prefix: string,
  locks: TabLocks | null | undefined,
): TabRegistry | undefined {
  if (!locks) return undefined;
  const name = (tab: string) => `${prefix}:tab:${tab}`;
  return {
    hold(tab) {
      let release = (): void => {};
      const kept = new Promise<void>((resolve) => {
        release = resolve;
      });
      let granted = (): void => {};
      const held = new Promise<void>((resolve) => {
        granted = resolve;
      });
      // A unique name: granted at once. A refusal (no permission) leaves leases to decide.
      locks
        .request(name(tab), () => {
          granted();
          return kept;
        })
        .catch(granted);
      return { held, release };
    },
    async alive(tabs) {
      const snapshot = await locks.query();
      const names = new Set((snapshot.held ?? []).map((lock) => lock.name));
      return new Set(tabs.filter((tab) => names.has(name(tab))));
    },
  };
}
