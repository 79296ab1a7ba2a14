import { useCallback, useEffect, useState } from 'react';
import { ProblemNotice, useBrownoutClient, useDependencyMetrics } from '../../src/entries/react.js';
import type { BrownoutClient } from '../../src/index.js';
import { backend, type PricingMode } from './backend.js';

interface Price {
  id: string;
  name: string;
  price: number;
}

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' });

function Prices() {
  const client = useBrownoutClient() as BrownoutClient<'pricing'>;
  const [state, setState] = useState<{ data?: Price[]; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const load = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    client.json<Price[]>('pricing', '/api/prices').then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => setState((s) => ({ ...s, error, loading: false })),
    );
  }, [client]);
  useEffect(load, [load]);
  return (
    <section aria-labelledby="prices-title">
      <h2 id="prices-title">Prices</h2>
      {state.error ? <ProblemNotice error={state.error} label="Pricing" onRetry={load} /> : null}
      {state.loading && <p aria-live="polite">Loading prices…</p>}
      {state.data && !state.error && (
        <ul className="prices">
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
  const m = useDependencyMetrics('pricing');
  if (!m) return null;
  return (
    <section aria-labelledby="health-title" className="panel">
      <h2 id="health-title">pricing — health</h2>
      <dl>
        <dt>Calls</dt>
        <dd>{m.requests}</dd>
        <dt>Attempts</dt>
        <dd>{m.attempts}</dd>
        <dt>Retries</dt>
        <dd>{m.retries}</dd>
        <dt>Failures</dt>
        <dd>{m.failures}</dd>
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
        Flip pricing to <em>down</em>: the client retries the 503 with full jitter, then tells you in plain
        words, with a support code, instead of a stack trace.
      </p>
      <div className="layout">
        <Prices key={generation} />
        <aside>
          <Chaos onChange={() => setGeneration((g) => g + 1)} />
          <Health />
        </aside>
      </div>
    </main>
  );
}
