import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { ProblemNotice, useBrownoutClient, useDependencyMetrics } from '../../src/entries/react.js';
import { type Brownout, type Freshness, getFreshness } from '../../src/index.js';
import { backend, type PricingMode } from './backend.js';

interface Price {
  id: string;
  name: string;
  price: number;
}

const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const ago = (ms: number): string => {
  const minutes = Math.round(ms / 60_000);
  return minutes < 1
    ? relative.format(-Math.round(ms / 1000), 'second')
    : relative.format(-minutes, 'minute');
};

function Prices() {
  const client = useBrownoutClient() as Brownout<'pricing'>;
  const [state, setState] = useState<{
    data?: Price[];
    freshness?: Freshness;
    error?: unknown;
    loading: boolean;
  }>({
    loading: true,
  });
  const load = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    client
      .fetch('pricing', '/api/prices')
      .then(async (response) => {
        const data = (await response.json()) as Price[];
        setState({
          data,
          ...(getFreshness(response) ? { freshness: getFreshness(response)! } : {}),
          loading: false,
        });
      })
      .catch((error: unknown) => setState({ error, loading: false }));
  }, [client]);
  useEffect(load, [load]);
  const cached = state.freshness?.source === 'cache';
  return (
    <section aria-labelledby="prices-title">
      <h2 id="prices-title">Prices</h2>
      {state.error ? <ProblemNotice error={state.error} label="Pricing" onRetry={load} /> : null}
      {cached && state.freshness ? (
        <p className="stale" role="status">
          Pricing data is temporarily unavailable — showing prices from{' '}
          {ago(client.clock.now() - state.freshness.fetchedAt)}.
        </p>
      ) : null}
      {state.loading && <p aria-live="polite">Loading prices…</p>}
      {state.data && (
        <ul className="prices" data-source={state.freshness?.source ?? 'network'}>
          {state.data.map((p) => (
            <li key={p.id}>
              {p.name} <strong>{money.format(p.price)}</strong>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Health() {
  const client = useBrownoutClient() as Brownout<'pricing'>;
  const m = useDependencyMetrics('pricing');
  const pricing = useSyncExternalStore(
    client.store.subscribe,
    () => client.store.getState().dependencies.pricing,
  );
  if (!m || !pricing) return null;
  return (
    <section aria-labelledby="health-title" className="panel">
      <h2 id="health-title">pricing — health</h2>
      <dl>
        <dt>Health</dt>
        <dd data-health={pricing.health}>{pricing.health}</dd>
        <dt>Breaker</dt>
        <dd>{pricing.breaker}</dd>
        <dt>Level</dt>
        <dd>{pricing.level}</dd>
        <dt>Calls</dt>
        <dd>{m.requests}</dd>
        <dt>Attempts</dt>
        <dd>{m.attempts}</dd>
        <dt>Retries</dt>
        <dd>{m.retries}</dd>
        <dt>From cache</dt>
        <dd>{m.fallbacks}</dd>
        <dt>p95 to headers</dt>
        <dd>{Math.round(m.latency.p95)} ms</dd>
      </dl>
    </section>
  );
}

function Chaos({ onChange }: { onChange: () => void }) {
  const [mode, setMode] = useState<PricingMode>(backend.pricing);
  return (
    <fieldset className="panel">
      <legend>Chaos: pricing</legend>
      {(['healthy', 'slow', 'down'] as const).map((m) => (
        <label key={m}>
          <input
            type="radio"
            name="pricing-mode"
            value={m}
            checked={mode === m}
            onChange={() => {
              backend.pricing = m;
              setMode(m);
              onChange();
            }}
          />{' '}
          {m}
        </label>
      ))}
    </fieldset>
  );
}

/** The demo: one real dependency on the embedded MSW backend, a chaos switch and its live health. */
export function App() {
  const [generation, setGeneration] = useState(0);
  return (
    <main>
      <h1>Brownout demo shop</h1>
      <p>
        Flip pricing to <em>down</em>: the client retries the 503 with full jitter, then shows the last good
        prices with their age; after five failed calls its breaker opens and calls fail fast.
      </p>
      <div className="layout">
        <div>
          <Prices key={generation} />
          <button type="button" className="brownout-button" onClick={() => setGeneration((g) => g + 1)}>
            Reload prices
          </button>
        </div>
        <aside>
          <Chaos onChange={() => setGeneration((g) => g + 1)} />
          <Health />
        </aside>
      </div>
    </main>
  );
}
