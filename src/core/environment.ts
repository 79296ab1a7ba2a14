/**
 * What the client needs to know of the page it runs in: whether the device is online and whether the user
 * can see the page. Failures while offline are the user's connection, not a dependency's outage; a hidden
 * tab sends no probes.
 */
export interface Environment {
  /** False when the device has no network (the browser's `navigator.onLine`). */
  online(): boolean;
  /** False while the page is hidden (a background tab, a minimised window). */
  visible(): boolean;
  /** Calls `listener` after `online()` or `visible()` may have changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

interface EventSource {
  addEventListener?(type: string, listener: () => void): void;
  removeEventListener?(type: string, listener: () => void): void;
}

/**
 * The browser's environment: `navigator.onLine` with the window's `online`/`offline` events, and
 * `document.visibilityState` with `visibilitychange`. Read when asked (nothing at import time); outside a
 * browser it is always online and visible.
 */
export function browserEnvironment(): Environment {
  const g = globalThis as {
    navigator?: { onLine?: boolean };
    document?: { visibilityState?: string } & EventSource;
  } & EventSource;
  return {
    online: () => g.navigator?.onLine !== false,
    visible: () => g.document?.visibilityState !== 'hidden',
    subscribe(listener) {
      const doc = g.document;
      g.addEventListener?.('online', listener);
      g.addEventListener?.('offline', listener);
      doc?.addEventListener?.('visibilitychange', listener);
      return () => {
        g.removeEventListener?.('online', listener);
        g.removeEventListener?.('offline', listener);
        doc?.removeEventListener?.('visibilitychange', listener);
      };
    },
  };
}

/** An {@link Environment} the test (or a simulation) sets by hand. */
export interface ManualEnvironment extends Environment {
  /** Sets what `online()` and `visible()` return and tells the subscribers. */
  set(state: { online?: boolean; visible?: boolean }): void;
}

/**
 * An environment set by hand: online and visible until told otherwise.
 * @example
 * const environment = createManualEnvironment();
 * const client = createClient({ environment, dependencies: { api: {} } });
 * environment.set({ online: false }); // failures now count as offline, not as the API's outage
 */
export function createManualEnvironment(): ManualEnvironment {
  let online = true;
  let visible = true;
  const listeners = new Set<() => void>();
  return {
    online: () => online,
    visible: () => visible,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    set(state) {
      online = state.online ?? online;
      visible = state.visible ?? visible;
      for (const listener of [...listeners]) listener();
    },
  };
}
