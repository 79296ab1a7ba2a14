import { type HttpHandler, http, type Path } from 'msw';
import { type FlakyOptions, flakyResolver } from './flaky.js';
import { type HtmlErrorPageOptions, htmlErrorPageResolver } from './htmlErrorPage.js';
import { type LatencyOptions, latencyResolver } from './latency.js';
import { type MalformedProblemOptions, malformedProblemResolver } from './malformedProblem.js';
import { networkErrorResolver } from './networkError.js';
import { type OutageOptions, outageResolver } from './outage.js';
import type { RateLimitedOptions } from './rateLimited.js';
import { createRecovery, type RecoverOptions, wallClock } from './recovery.js';
import type { RetryAfter } from './retryAfter.js';
import type { ChaosOptions, ChaosResolver } from './route.js';
import { type StalledBodyOptions, stalledBodyResolver } from './stalledBody.js';

/**
 * What a dependency does under a {@link createChaos} controller:
 * - `'healthy'`: calls pass through to the next handler (the app's own);
 * - `'slow'`: calls wait ({@link latency}), then pass through;
 * - `'flaky'`: a seeded share of calls fails ({@link flaky}), the rest pass through;
 * - `'down'`: every call fails, 503 problem+json by default ({@link outage});
 * - `'rate-limited'`: 429 with `Retry-After` ({@link rateLimited});
 * - `'stalled'`: headers and a first chunk, then the body never ends ({@link stalledBody});
 * - `'offline'`: the connection fails, fetch rejects ({@link networkError}); `{ '*': 'offline' }` in a
 *   scenario takes every dependency offline;
 * - `'html-error'`: a proxy's HTML 502 page ({@link htmlErrorPage});
 * - `'malformed'`: a problem+json body that is not valid JSON ({@link malformedProblem}).
 * @example
 * chaos.set('pricing', 'down');
 */
export type ChaosMode =
  | 'healthy'
  | 'slow'
  | 'flaky'
  | 'down'
  | 'rate-limited'
  | 'stalled'
  | 'offline'
  | 'html-error'
  | 'malformed';

/**
 * Every {@link ChaosMode}, in order from healthy to strange: for a chaos panel's options.
 * @example
 * CHAOS_MODES.map((mode) => <option key={mode}>{mode}</option>)
 */
export const CHAOS_MODES: readonly ChaosMode[] = Object.freeze([
  'healthy',
  'slow',
  'flaky',
  'down',
  'rate-limited',
  'stalled',
  'offline',
  'html-error',
  'malformed',
] as const);
const MODES: readonly string[] = CHAOS_MODES;

type Own<T> = Omit<T, keyof ChaosOptions>;

interface Recoverable {
  /** When the dependency returns to `'healthy'` on its own (listeners are told). @default never */
  recover?: RecoverOptions;
}

/**
 * The settings of each {@link ChaosMode}: those of the factory behind it, and `recover`.
 * @example
 * const slow: ChaosSettings['slow'] = { ms: 500, maxMs: 4_000, seed: 2 };
 * const down: ChaosSettings['down'] = { status: 503, retryAfter: 30, recover: { afterCalls: 3 } };
 */
export interface ChaosSettings {
  healthy: Record<never, never>;
  slow: Own<LatencyOptions> &
    Recoverable & {
      /** The wait ({@link latency}'s `ms`): fixed, the lower bound with `maxMs`, or the mean. @default 3000 */
      ms?: number | 'infinite';
    };
  flaky: Omit<Own<FlakyOptions>, 'failureRate' | 'response'> &
    Recoverable & {
      /** Share of calls that fail, 0–1. @default 0.5 */
      failureRate?: number;
    };
  down: Own<OutageOptions> & Recoverable;
  'rate-limited': Omit<Own<RateLimitedOptions>, 'retryAfter'> &
    Recoverable & {
      /** The `Retry-After` header. @default 30 */
      retryAfter?: RetryAfter;
    };
  stalled: Own<StalledBodyOptions> & Recoverable;
  offline: Recoverable;
  'html-error': Own<HtmlErrorPageOptions> & Recoverable;
  malformed: Own<MalformedProblemOptions> & Recoverable;
}

/**
 * A mode with its settings, as a scenario names it.
 * @example
 * const recovering: ChaosModeSetting = { mode: 'down', recover: { afterCalls: 3 } };
 */
export type ChaosModeSetting = { [M in ChaosMode]: { readonly mode: M } & ChaosSettings[M] }[ChaosMode];

/**
 * The state of several dependencies at once, for {@link ChaosController.apply}: a mode, or a mode with
 * settings, per dependency. `'*'` stands for every dependency the scenario does not name; dependencies
 * it leaves out are `'healthy'`.
 * @example
 * const checkoutDown: ChaosScenario = { orders: 'down', reviews: { mode: 'slow', ms: 2_000 } };
 * const offline: ChaosScenario = { '*': 'offline' };
 */
export type ChaosScenario<D extends string = string> = {
  readonly [K in D | '*']?: ChaosMode | ChaosModeSetting;
};

/**
 * The routes of each dependency a controller breaks: one msw path, or several.
 * @example
 * const routes: ChaosRoutes = { pricing: '/api/prices*', orders: ['/api/orders', '/api/orders/:id'] };
 */
export type ChaosRoutes = Readonly<Record<string, Path | readonly Path[]>>;

/**
 * The mode of every dependency: a frozen snapshot, replaced on each change (so it can serve as
 * `useSyncExternalStore`'s snapshot).
 * @example
 * const modes: ChaosModes<'pricing' | 'orders'> = chaos.modes(); // { pricing: 'down', orders: 'healthy' }
 */
export type ChaosModes<D extends string = string> = Readonly<Record<D, ChaosMode>>;

/**
 * Options of {@link createChaos}.
 * @example
 * const options: ChaosControllerOptions = { seed: 42, scenario: { pricing: 'down' } };
 */
export interface ChaosControllerOptions<D extends string = string> {
  /** Seed of the `'slow'` and `'flaky'` draws, unless their settings give one. @default 1 */
  seed?: number;
  /** The clock `recover.afterMs` reads, in milliseconds. @default the wall clock, read at call time */
  now?: () => number;
  /** The scenario to start in. @default every dependency healthy */
  scenario?: ChaosScenario<D>;
}

/**
 * What {@link createChaos} returns: msw handlers, and the switches that set what they do.
 * @example
 * const chaos: ChaosController<'pricing'> = createChaos({ pricing: '/api/prices*' });
 */
export interface ChaosController<D extends string = string> {
  /**
   * One msw handler per route. Put them before the app's own handlers: a healthy dependency's
   * requests pass through to those.
   */
  readonly handlers: HttpHandler[];
  /**
   * Switches `dependency` to `mode` from its next request on; the settings are checked here
   * (`RangeError` naming the dependency and the option). Listeners are told.
   */
  set<M extends ChaosMode>(dependency: D, mode: M, settings?: ChaosSettings[M]): void;
  /** The current mode of `dependency`. */
  get(dependency: D): ChaosMode;
  /** The mode of every dependency (a frozen snapshot, the same object until something changes). */
  modes(): ChaosModes<D>;
  /** Sets every dependency at once, as `scenario` says (the ones it leaves out become healthy); one notification. */
  apply(scenario: ChaosScenario<D>): void;
  /** Every dependency healthy, every call count back to 0. */
  reset(): void;
  /** Calls `listener` with the new modes after each change, recoveries included; returns the unsubscribe. */
  subscribe(listener: (modes: ChaosModes<D>) => void): () => void;
  /** Requests to `dependency`'s routes seen since creation or `reset()`, in any mode. */
  calls(dependency: D): number;
}

interface Current {
  readonly mode: ChaosMode;
  /** `undefined`: the request passes through. */
  readonly resolver: ChaosResolver | undefined;
  readonly recovered: (() => boolean) | undefined;
}

const HEALTHY: Current = { mode: 'healthy', resolver: undefined, recovered: undefined };

/** The msw paths of one dependency's route or routes. */
const pathsOf = (route: Path | readonly Path[]): readonly Path[] =>
  typeof route === 'string' || route instanceof RegExp ? [route] : route;

/** A mode given by name or with its settings, as a setting. */
const toSetting = (value: ChaosMode | ChaosModeSetting): ChaosModeSetting =>
  typeof value === 'string' ? ({ mode: value } as ChaosModeSetting) : value;

/** A controller's state: its dependencies, what each does and how often it was called, and its listeners. */
interface ChaosState<D extends string> {
  readonly names: readonly D[];
  readonly entries: Map<string, { current: Current; calls: number }>;
  readonly listeners: Set<(modes: ChaosModes<D>) => void>;
  /** The controller's options (its `seed` is read as each mode is built). */
  readonly options: ChaosControllerOptions<D>;
  /** The clock `recover.afterMs` reads. */
  readonly now: () => number;
  snapshot: ChaosModes<D>;
}

/** The part of a {@link ChaosState} that names the dependencies and holds their entries. */
type ChaosEntries<D extends string> = Pick<ChaosState<D>, 'names' | 'entries'>;

/** The dependency names of `routes`, checked: at least one, and not `'*'`. */
function namesOf<D extends string>(routes: ChaosRoutes): D[] {
  const names = Object.keys(routes) as D[];
  if (names.length === 0) throw new RangeError('createChaos: give at least one dependency and its routes.');
  if (Object.hasOwn(routes, '*')) {
    throw new RangeError(
      "createChaos: '*' is not a dependency name (scenarios use it for every dependency).",
    );
  }
  return names;
}

/** The entry of `dependency`; a `RangeError` naming the known ones for any other. */
function entryOf<D extends string>(state: ChaosEntries<D>, dependency: string) {
  const entry = state.entries.get(dependency);
  if (entry === undefined) {
    throw new RangeError(
      `createChaos: unknown dependency "${dependency}"; known: ${state.names.join(', ')}.`,
    );
  }
  return entry;
}

/** The resolver of a mode with its settings (checked here), and its recovery. */
function buildCurrent<D extends string>(
  state: ChaosState<D>,
  dependency: string,
  setting: ChaosModeSetting,
): Current {
  const { mode } = setting;
  const where = `createChaos: ${dependency} (${mode})`;
  const seed = (own: number | undefined) => own ?? state.options.seed ?? 1;
  let resolver: ChaosResolver;
  switch (setting.mode) {
    case 'healthy':
      return HEALTHY;
    case 'slow':
      resolver = latencyResolver(
        setting.ms ?? 3000,
        undefined,
        { ...setting, seed: seed(setting.seed) },
        where,
      );
      break;
    case 'flaky':
      resolver = flakyResolver(
        { ...setting, failureRate: setting.failureRate ?? 0.5, seed: seed(setting.seed) },
        where,
      );
      break;
    case 'down':
      resolver = outageResolver(setting, where);
      break;
    case 'rate-limited':
      resolver = outageResolver({ ...setting, status: 429, retryAfter: setting.retryAfter ?? 30 }, where);
      break;
    case 'stalled':
      resolver = stalledBodyResolver(setting, where);
      break;
    case 'offline':
      resolver = networkErrorResolver;
      break;
    case 'html-error':
      resolver = htmlErrorPageResolver(setting, where);
      break;
    case 'malformed':
      resolver = malformedProblemResolver(setting, where);
      break;
    default:
      throw new RangeError(
        `createChaos: ${dependency}: mode must be one of ${MODES.join(', ')}; got ${mode}.`,
      );
  }
  const { recover } = setting;
  return { mode, resolver, recovered: recover && createRecovery(recover, state.now, where) };
}

/** A frozen record of every dependency's current mode. */
const takeSnapshot = <D extends string>(state: ChaosEntries<D>): ChaosModes<D> =>
  Object.freeze(
    Object.fromEntries(state.names.map((name) => [name, entryOf(state, name).current.mode])),
  ) as ChaosModes<D>;

/** Takes a new snapshot and tells every listener. */
function publish<D extends string>(state: ChaosState<D>): void {
  state.snapshot = takeSnapshot(state);
  // A copy: a listener may unsubscribe (or subscribe) while being told.
  for (const listener of [...state.listeners]) listener(state.snapshot);
}

/** Counts a request to `dependency` and answers it as its mode says (`undefined`: it passes through). */
function settle<D extends string>(state: ChaosState<D>, dependency: string, request: Request) {
  const entry = entryOf(state, dependency);
  entry.calls += 1;
  const { current } = entry;
  if (current.resolver === undefined) return undefined;
  if (current.recovered?.()) {
    entry.current = HEALTHY;
    publish(state);
    return undefined;
  }
  return current.resolver(request);
}

/** One msw handler per route of each dependency, answering through {@link settle}. */
function handlersOf<D extends string>(state: ChaosState<D>, routes: ChaosRoutes): HttpHandler[] {
  return state.names.flatMap((name) => {
    const paths = pathsOf(routes[name] as Path | readonly Path[]);
    if (paths.length === 0) throw new RangeError(`createChaos: ${name}: give at least one route.`);
    return paths.map((path) => http.all(path, ({ request }) => settle(state, name, request)));
  });
}

/** Switches every dependency as `scenario` says (the ones it leaves out become healthy); one notification. */
function applyScenario<D extends string>(state: ChaosState<D>, scenario: ChaosScenario<D>): void {
  const { names } = state;
  for (const key of Object.keys(scenario)) if (key !== '*') entryOf(state, key);
  // Every mode built (and checked) before any is switched: a bad scenario changes nothing.
  const next = names.map((name) =>
    buildCurrent(state, name, toSetting(scenario[name] ?? scenario['*'] ?? 'healthy')),
  );
  names.forEach((name, i) => {
    entryOf(state, name).current = next[i]!;
  });
  publish(state);
}

/**
 * A controller that switches each dependency's failure mode at run time — the demo's chaos panel, a
 * test that takes pricing down halfway, a story's scenario. Its handlers look the mode up on every
 * request, and work alike in `setupServer` (Node) and `setupWorker` (browser). Deterministic with
 * `seed` and `now`.
 * @example
 * const chaos = createChaos({ pricing: '/api/prices*', orders: '/api/orders*' }, { seed: 7 });
 * const server = setupServer(...chaos.handlers, ...appHandlers);
 * chaos.set('pricing', 'down', { retryAfter: 30, recover: { afterCalls: 3 } });
 * chaos.apply(scenarios['orders down, writes queue']);
 * const stop = chaos.subscribe((modes) => console.log(modes.pricing));
 * chaos.reset();
 */
export function createChaos<R extends ChaosRoutes>(
  routes: R,
  options: ChaosControllerOptions<keyof R & string> = {},
): ChaosController<keyof R & string> {
  type D = keyof R & string;
  const names = namesOf<D>(routes);
  const entries: ChaosState<D>['entries'] = new Map();
  for (const name of names) entries.set(name, { current: HEALTHY, calls: 0 });
  const state: ChaosState<D> = {
    names,
    entries,
    listeners: new Set(),
    options,
    now: options.now ?? wallClock,
    snapshot: takeSnapshot({ names, entries }),
  };
  const handlers = handlersOf(state, routes);
  if (options.scenario !== undefined) applyScenario(state, options.scenario);

  return {
    handlers,
    set(dependency, mode, settings) {
      const entry = entryOf(state, dependency);
      entry.current = buildCurrent(state, dependency, { ...settings, mode } as ChaosModeSetting);
      publish(state);
    },
    get: (dependency) => entryOf(state, dependency).current.mode,
    modes: () => state.snapshot,
    apply: (scenario) => applyScenario(state, scenario),
    reset() {
      for (const entry of state.entries.values()) {
        entry.current = HEALTHY;
        entry.calls = 0;
      }
      publish(state);
    },
    subscribe(listener) {
      state.listeners.add(listener);
      return () => {
        state.listeners.delete(listener);
      };
    },
    calls: (dependency) => entryOf(state, dependency).calls,
  };
}
