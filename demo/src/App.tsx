import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, useSyncExternalStore } from 'react';
import {
  Degradable,
  DegradationBanner,
  DependencyHealthPanel,
  MaintenanceScreen,
  QueuedWritesIndicator,
  StaleDataNotice,
  WriteGuard,
} from '../../src/entries/react.js';
import { CHAOS_MODES, type ChaosMode } from '../../src/msw/index.js';
import {
  createMutationFn,
  createQueryFn,
  dependencyOf,
  isQueuedMutation,
  queuedMutationOptions,
} from '../../src/query/index.js';
import { chaos, DEPENDENCIES, type Dependency, type Product, resetBackend, state } from './backend.js';
import { client } from './client.js';

const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });

const pricesQuery = { queryKey: ['prices'], queryFn: createQueryFn<Product[]>(client, 'pricing', '/prices') };
const ordersQuery = {
  queryKey: ['orders'],
  queryFn: createQueryFn<{ id: number; product: string }[]>(client, 'orders', '/orders'),
};
const meQuery = {
  queryKey: ['me'],
  queryFn: createQueryFn<{ name: string }>(client, 'auth', '/auth/me'),
  // The session is checked now and then: that is how the app notices auth is down.
  refetchInterval: 15_000,
};

function Stars({ id }: { id: string }) {
  const reviews = useQuery({
    queryKey: ['reviews', id],
    queryFn: createQueryFn<{ stars: number; count: number } | null>(client, 'reviews', `/reviews/${id}`),
  });
  if (!reviews.data) return <span className="muted">{reviews.isPending ? 'Loading reviews…' : ''}</span>;
  return (
    <span className="stars">
      ★ {reviews.data.stars.toFixed(1)} <span className="muted">({reviews.data.count} reviews)</span>
    </span>
  );
}

function AddToCart({ product }: { product: Product }) {
  const queryClient = useQueryClient();
  const [said, setSaid] = useState('');
  const add = useMutation({
    ...queuedMutationOptions,
    mutationFn: createMutationFn(client, 'orders', (p: Product) => ({
      input: '/orders',
      init: { method: 'POST', body: JSON.stringify({ product: p.id }) },
    })),
    onSuccess: (result) => {
      if (isQueuedMutation(result)) {
        // Offline, it waits for the device, not for the shop.
        setSaid(
          client.store.getState().online
            ? 'Saved — it will be sent when the shop is back.'
            : "Saved — it will be sent when you're back online.",
        );
      } else {
        setSaid('Added.');
        void queryClient.invalidateQueries({ queryKey: ['orders'] });
      }
    },
    onError: () => setSaid('Could not add it. Please try again.'),
  });
  return (
    <span className="add">
      <WriteGuard dependency="orders">
        <button
          type="button"
          className="brownout-button"
          aria-label={`Add ${product.name} to cart`}
          onClick={() => add.mutate(product)}
        >
          Add to cart
        </button>
      </WriteGuard>
      <span className="muted" aria-live="polite">
        {said}
      </span>
    </span>
  );
}

function Products() {
  const prices = useQuery(pricesQuery);
  return (
    <section aria-labelledby="products-title">
      <h2 id="products-title">Tea and teaware</h2>
      <StaleDataNotice dependency="pricing" freshnessKey={JSON.stringify(pricesQuery.queryKey)} />
      {prices.isPending && <p>Loading prices…</p>}
      {prices.isError && !prices.data && (
        <p className="brownout-notice" data-freshness="expired">
          Prices are unavailable right now. We will try again automatically.
        </p>
      )}
      {prices.data && (
        <ul className="products">
          {prices.data.map((p) => (
            <li key={p.id} className="product">
              <span className="product__name">{p.name}</span>
              <strong className="product__price">{money.format(p.price)}</strong>
              <Degradable
                dependency="reviews"
                placeholder={<span className="muted">Reviews unavailable</span>}
              >
                <Stars id={p.id} />
              </Degradable>
              <AddToCart product={p} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Recommendations() {
  const picks = useQuery({
    queryKey: ['recommendations'],
    queryFn: createQueryFn<string[]>(client, 'recommendations', '/recommendations'),
  });
  return (
    <section aria-labelledby="recs-title" className="recs">
      <h2 id="recs-title">You might also like</h2>
      <p>{picks.data ? picks.data.join(', ') : 'Loading…'}</p>
    </section>
  );
}

function Cart() {
  const orders = useQuery(ordersQuery);
  return (
    <section aria-labelledby="cart-title">
      <h2 id="cart-title">Cart</h2>
      <QueuedWritesIndicator
        dependency="orders"
        describe={(entry) => {
          const body = entry.body?.kind === 'text' ? entry.body.text : '';
          const id = /"product":"(\w+)"/.exec(body)?.[1];
          return `Add ${id ?? 'an item'} to cart`;
        }}
      />
      <p data-testid="cart-count">
        {orders.data ? `${orders.data.length} item${orders.data.length === 1 ? '' : 's'} in your cart` : ''}
      </p>
    </section>
  );
}

function Shop() {
  const me = useQuery(meQuery);
  return (
    <MaintenanceScreen>
      <p className="muted">{me.data ? `Signed in as ${me.data.name}` : 'Signing in…'}</p>
      <Products />
      <Degradable
        dependency="recommendations"
        placeholder={<p className="muted">Recommendations are unavailable right now.</p>}
      >
        <Recommendations />
      </Degradable>
      <Cart />
    </MaintenanceScreen>
  );
}

// The modes a shop user would recognise; 'offline' (every connection fails) is the checkbox below.
const MODES = CHAOS_MODES.filter((m) => m !== 'offline' && m !== 'html-error' && m !== 'malformed');

function ChaosPanel() {
  const queryClient = useQueryClient();
  const modes = useSyncExternalStore(chaos.subscribe, chaos.modes);
  const offline = DEPENDENCIES.every((d) => modes[d] === 'offline');
  // The app notices a change on its next call: make that call now rather than at the next interval.
  const poke = (dependency?: Dependency) =>
    void queryClient.refetchQueries({
      type: 'active',
      predicate: (q) => dependency === undefined || dependencyOf(q.options.queryFn) === dependency,
    });
  return (
    <section aria-labelledby="chaos-title" className="panel">
      <h2 id="chaos-title">Chaos</h2>
      <p className="muted">Break the backend and watch the shop tell the truth.</p>
      <div className="chaos">
        {DEPENDENCIES.map((d) => (
          <label key={d}>
            <span className="chaos__name">{d}</span>
            <select
              value={modes[d]}
              onChange={(e) => {
                chaos.set(d, e.target.value as ChaosMode);
                poke(d);
              }}
            >
              {MODES.map((mode) => (
                <option key={mode} value={mode}>
                  {mode}
                </option>
              ))}
              {modes[d] === 'offline' && <option value="offline">offline</option>}
            </select>
          </label>
        ))}
      </div>
      <label className="offline">
        <input
          type="checkbox"
          checked={offline}
          onChange={(e) => {
            chaos.apply(e.target.checked ? { '*': 'offline' } : {});
            poke();
          }}
        />{' '}
        Every request fails to connect
      </label>
      <p className="muted">
        The browser still says it is online, so the shop tells these as services that can't be reached. To see
        the shop offline, take the browser offline (DevTools → Network → Offline).
      </p>
      <p data-testid="server-received">
        Orders received by the server: {Object.values(state.received).reduce((a, b) => a + b, 0)} (
        {Object.keys(state.received).length} distinct)
      </p>
      <button
        type="button"
        className="brownout-button brownout-button--quiet"
        onClick={() => {
          resetBackend();
          poke();
        }}
      >
        Reset the backend
      </button>
    </section>
  );
}

export function App() {
  const queryClient = useQueryClient();
  return (
    <>
      <header className="top">
        <h1>Brownout tea shop</h1>
        <span className="muted">a demo of controlled degradation</span>
      </header>
      <DegradationBanner onRetry={() => void queryClient.refetchQueries({ type: 'active' })} />
      <div className="layout">
        <main>
          <Shop />
        </main>
        <aside aria-label="Operator tools">
          <ChaosPanel />
          <DependencyHealthPanel refreshMs={2_000} />
        </aside>
      </div>
    </>
  );
}
