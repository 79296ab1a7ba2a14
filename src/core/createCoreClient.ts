import { systemClock } from './clock.js';
import { CLIENT_DEFAULTS } from './defaults.js';
import { breakerControl, createDependency, type Dependency, probeDue, statusOf } from './dependency.js';
import { browserEnvironment } from './environment.js';
import { disposedError } from './errors.js';
import { Emitter } from './events.js';
import {
  type ClientOptions,
  checkBoolean,
  checkClientKeys,
  checkHeaderName,
  checkNumber,
  normalizeBudget,
  normalizeDependency,
  normalizeOrigins,
} from './options.js';
import { attemptStep } from './pipeline/attempt.js';
import { breakerStep } from './pipeline/breaker.js';
import { bulkheadStep } from './pipeline/bulkhead.js';
import { type CallContext, type ClientRuntime, compose } from './pipeline/context.js';
import { fallbackStep } from './pipeline/fallback.js';
import { prepare } from './pipeline/prepare.js';
import { responseStep } from './pipeline/response.js';
import { retryStep } from './pipeline/retry.js';
import { settleStep } from './pipeline/settle.js';
import { DEFAULT_MAX_ERROR_BODY_BYTES } from './problem.js';
import { RetryBudget } from './RetryBudget.js';
import { systemRandom } from './random.js';
import { readJson } from './readers.js';
import type { BrownoutClient, BrownoutRequestInit, ClientEvents } from './types.js';

/**
 * Creates a Brownout client: every call to a named dependency gets deadlines, full-jitter retries of
 * transient failures only, a shared retry budget, trace context and one error type with problem details.
 * Options are validated here: nonsense throws a `RangeError`/`TypeError` naming the dependency and option.
 * @example
 * const client = createCoreClient({ dependencies: { pricing: { baseUrl: '/api' } } });
 * const prices = await client.json<Price[]>('pricing', '/prices');
 */
export function createCoreClient<Name extends string>(options: ClientOptions<Name>): BrownoutClient<Name> {
  const rt = runtimeOf(options);
  const { clock, environment, events } = rt;
  const deps = new Map<string, Dependency>();
  for (const name of Object.keys(options.dependencies) as Name[]) {
    deps.set(name, createDependency(rt, normalizeDependency(name, options.dependencies[name])));
  }
  const dependency = (name: string): Dependency => {
    const dep = deps.get(name);
    if (dep) return dep;
    throw new TypeError(
      `Brownout: unknown dependency "${name}". Known: ${[...deps.keys()].join(', ') || 'none'}.`,
    );
  };
  // A call, outermost step first; the attempt on the network last.
  const run = compose(
    [settleStep(rt), fallbackStep(rt), bulkheadStep(rt), retryStep(rt), breakerStep(rt), responseStep(rt)],
    attemptStep(rt),
  );
  const call = async (name: string, input: RequestInfo | URL, init: BrownoutRequestInit = {}) => {
    const ctx: CallContext = prepare(rt, dependency(name), input, init);
    return run(ctx);
  };
  rt.call = call;
  const stopEnvironment = onReturn(rt, deps);

  return {
    fetch: (name, input, init) => call(name, input, init),
    json: async <T>(name: Name, input: RequestInfo | URL, init?: BrownoutRequestInit): Promise<T> =>
      readJson<T>(await call(name, input, init), name),
    fetcher(name) {
      dependency(name);
      return (input, init) => call(name, input, init);
    },
    metrics: (name) => {
      const dep = dependency(name);
      return dep.metrics.snapshot(dep.bulkhead.inFlight, dep.bulkhead.queued);
    },
    status: (name) => statusOf(dependency(name)),
    breaker: (name) => breakerControl(rt, dependency(name)),
    policy: (name) => dependency(name).policy,
    clock,
    environment,
    on: (type, listener) => events.on(type, listener),
    dependencies: Object.freeze([...deps.keys()] as Name[]),
    dispose() {
      if (rt.disposal.signal.aborted) return;
      const reason = disposedError();
      rt.disposal.abort(reason);
      for (const stop of [...rt.inFlight]) stop(reason);
      rt.inFlight.clear();
      stopEnvironment();
      for (const dep of deps.values()) {
        clock.clearTimeout(dep.holdTimer);
        clock.clearTimeout(dep.waitTimer);
        dep.breaker.dispose();
        dep.bulkhead.clear();
      }
      events.clear();
    },
  };
}

/** The client-wide options, validated, as what every call shares. */
function runtimeOf<Name extends string>(options: ClientOptions<Name>): ClientRuntime {
  if (
    !options ||
    typeof options !== 'object' ||
    !options.dependencies ||
    typeof options.dependencies !== 'object'
  ) {
    throw new TypeError('createClient: option "dependencies" must be an object of dependency options.');
  }
  checkClientKeys(options);
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch;
  return {
    clock,
    random: options.random ?? systemRandom,
    environment: options.environment ?? browserEnvironment(),
    fetch: fetchImpl ?? ((input, init) => globalThis.fetch(input, init)),
    budget: new RetryBudget(clock, normalizeBudget(options.retryBudget)),
    cache: options.cache,
    trace: checkBoolean(options.trace ?? CLIENT_DEFAULTS.trace, undefined, 'trace'),
    idempotencyHeader: checkHeaderName(
      options.idempotencyHeader ?? CLIENT_DEFAULTS.idempotencyHeader,
      'idempotencyHeader',
    ),
    deadlineHeader:
      options.deadlineHeader === undefined
        ? undefined
        : checkHeaderName(options.deadlineHeader, 'deadlineHeader'),
    maxErrorBodyBytes: checkNumber(
      options.maxErrorBodyBytes ?? DEFAULT_MAX_ERROR_BODY_BYTES,
      undefined,
      'maxErrorBodyBytes',
      {
        min: 0,
        integer: true,
      },
    ),
    allowedOrigins: normalizeOrigins(options.allowedOrigins),
    events: new Emitter<ClientEvents>(),
    disposal: new AbortController(),
    inFlight: new Set(),
    call: () => Promise.reject(new Error('Brownout: the client is not built yet.')),
  };
}

/**
 * Tells connectivity changes; back online, or visible again, the probes that came due meanwhile go, each at
 * a random time within 1 s. Returns the unsubscribe (which also cancels those probes' timers).
 */
function onReturn(rt: ClientRuntime, deps: Map<string, Dependency>): () => void {
  const { clock, environment, events } = rt;
  let wasOnline = environment.online();
  const timers = new Set<unknown>();
  const stop = environment.subscribe(() => {
    const online = environment.online();
    if (online !== wasOnline) {
      wasOnline = online;
      events.emit('connectivity', { online });
    }
    // A listener may have disposed the client: no probe timer may outlive it.
    if (rt.disposal.signal.aborted || !online || !environment.visible()) return;
    for (const dep of deps.values()) {
      if (!dep.probePending) continue;
      dep.probePending = false;
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        probeDue(rt, dep, 'returned');
      }, rt.random() * 1_000);
      timers.add(timer);
    }
  });
  return () => {
    stop();
    for (const timer of timers) clock.clearTimeout(timer);
    timers.clear();
  };
}
