// Scenario stories: the REAL client (createClient) and TanStack Query against MSW handlers for a tiny
// shop, with the chaos controller switching each backend dependency's behaviour at run time. Nothing here
// is simulated on the client side: breakers really open, prices really come from the cache, orders really
// wait in the outbox and are replayed with their idempotency key. Short timeouts keep every story quick.
//
// These stories bring their own client and provider: they never set `parameters.brownout` (the global
// decorator in stories/support/withPreview.tsx leaves them alone).
import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  QueryClient,
  QueryClientProvider,
  type QueryFunction,
  useMutation,
  useQuery,
} from '@tanstack/react-query';
import { HttpResponse, http } from 'msw';
import { type ReactNode, useEffect, useId, useState, useSyncExternalStore } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { type Brownout, createClient, type DependencyOptions } from '../src/index.js';
import {
  CHAOS_MODES,
  type ChaosController,
  type ChaosMode,
  type ChaosScenario,
  createChaos,
  scenarios,
} from '../src/msw/index.js';
import {
  bindQueryClient,
  createMutationFn,
  createQueryFn,
  isQueuedMutation,
  queuedMutationOptions,
} from '../src/query/index.js';
import { BrownoutProvider } from '../src/react/index.js';
import {
  BrownoutUIProvider,
  Degradable,
  DegradationBanner,
  DependencyHealthPanel,
  MaintenanceScreen,
  QueuedWritesIndicator,
  StaleDataNotice,
  WriteGuard,
} from '../src/ui/index.js';

// ---------------------------------------------------------------------------------------------------------
// The shop's backend: plain msw handlers, behind the chaos controller's.

type Dependency = 'pricing' | 'reviews' | 'recommendations' | 'orders' | 'auth';
const DEPENDENCIES: readonly Dependency[] = ['pricing', 'reviews', 'recommendations', 'orders', 'auth'];
const MODES = CHAOS_MODES;

const API = '/api/story';
const ROUTES = {
  pricing: `${API}/prices*`,
  reviews: `${API}/reviews*`,
  recommendations: `${API}/recommendations*`,
  orders: `${API}/orders*`,
  auth: `${API}/auth/*`,
} as const;

interface Price {
  readonly id: string;
  readonly name: string;
  readonly price: number;
}
interface Review {
  readonly id: string;
  readonly author: string;
  readonly stars: number;
  readonly text: string;
}
interface Order {
  readonly id: string;
  readonly item: string;
}

const PRICES: readonly Price[] = [
  { id: 'mug', name: 'Blue mug', price: 12 },
  { id: 'tea', name: 'Green tea', price: 6.5 },
  { id: 'pot', name: 'Teapot', price: 34 },
];
const REVIEWS: readonly Review[] = [
  { id: 'r1', author: 'Sam', stars: 5, text: 'Keeps my tea warm for ages.' },
  { id: 'r2', author: 'Noor', stars: 4, text: 'Lovely colour, a little heavy.' },
];
const RECOMMENDATIONS: readonly string[] = ['Tea strainer', 'Cork coasters'];

/** What the fake server did: the effects of orders per idempotency key (a replay must count once). */
class ShopServer {
  /** Orders that took effect, per `Idempotency-Key`. */
  readonly effects = new Map<string, number>();
  /** Order requests that reached the server (duplicates included). */
  received = 0;
  private readonly listeners = new Set<() => void>();
  private version = 0;

  reset(): void {
    this.effects.clear();
    this.received = 0;
    this.changed();
  }

  order(key: string | null): { id: string; duplicate: boolean } {
    this.received += 1;
    const id = `order-${key ?? this.received}`;
    const duplicate = key !== null && this.effects.has(key);
    // Idempotent: the same key takes effect once, however often it is sent.
    if (key !== null && !duplicate) this.effects.set(key, 1);
    this.changed();
    return { id, duplicate };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly snapshot = (): number => this.version;

  private changed(): void {
    this.version += 1;
    for (const listener of [...this.listeners]) listener();
  }
}

const appHandlers = (server: ShopServer) => [
  http.get(`${API}/prices`, () => HttpResponse.json(PRICES)),
  http.get(`${API}/reviews`, () => HttpResponse.json(REVIEWS)),
  http.get(`${API}/recommendations`, () => HttpResponse.json(RECOMMENDATIONS)),
  http.get(`${API}/auth/me`, () => HttpResponse.json({ name: 'Ada' })),
  http.post(`${API}/orders`, async ({ request }) => {
    const { item } = (await request.json()) as { item: string };
    const { id } = server.order(request.headers.get('idempotency-key'));
    return HttpResponse.json({ id, item } satisfies Order, { status: 201 });
  }),
];

interface Shop {
  readonly chaos: ChaosController<Dependency>;
  readonly server: ShopServer;
  readonly handlers: ReturnType<typeof appHandlers>;
}

/**
 * One shop backend per story: its chaos controller and server state live as long as the module (msw's
 * handlers are story parameters), and are reset each time the story mounts.
 */
const createShop = (seed: number): Shop => {
  const chaos = createChaos(ROUTES, { seed });
  const server = new ShopServer();
  return { chaos, server, handlers: [...chaos.handlers, ...appHandlers(server)] };
};

// ---------------------------------------------------------------------------------------------------------
// The client: the real one, with short timeouts so that a story plays out in a few seconds.

// Deadlines loose enough for a loaded CI machine (a first call through a cold service worker can take a
// second there); only reviews keep a tight one, so that "reviews slow" (3 s) times out.
const fast = {
  timeouts: { headersMs: 4_000, bodyIdleMs: 4_000, totalMs: 8_000 },
  retry: { baseMs: 50, capMs: 200, maxAttempts: 2 },
  breaker: { consecutiveFailures: 1, openMs: 2_000 },
} satisfies DependencyOptions;

interface App {
  readonly client: Brownout<Dependency>;
  readonly queryClient: QueryClient;
  readonly prices: QueryFunction<Price[]>;
  readonly reviews: QueryFunction<Review[]>;
  readonly recommendations: QueryFunction<string[]>;
  readonly me: QueryFunction<{ name: string }>;
  readonly order: (item: Price) => Promise<unknown>;
  /** Refetches every query on screen (what "Reload" and "Retry now" do). */
  readonly reload: () => void;
}

function startApp(): { app: App; stop: () => void } {
  const client = createClient<Dependency>({
    dependencies: {
      pricing: { ...fast, baseUrl: API, reads: 'cache' },
      reviews: {
        ...fast,
        timeouts: { headersMs: 1_500, bodyIdleMs: 1_500, totalMs: 2_500 },
        baseUrl: API,
        criticality: 'optional',
      },
      recommendations: { ...fast, baseUrl: API, criticality: 'optional' },
      orders: { ...fast, baseUrl: API, writes: 'queue', idempotencyKeys: true },
      auth: { ...fast, baseUrl: API, criticality: 'critical', onFailure: 'closed' },
    },
    store: { settleMs: 500, statsIntervalMs: 500 },
    // Memory: nothing a story queues outlives it. A quick replay backoff once the dependency is back.
    outbox: { storage: 'memory', backoff: { baseMs: 200, capMs: 1_000 } },
    shareHealth: false,
  });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: false, refetchOnReconnect: false } },
  });
  const unbind = bindQueryClient(queryClient, client, { refetchSpreadMs: 200 });
  const app: App = {
    client,
    queryClient,
    prices: createQueryFn<Price[]>(client, 'pricing', '/prices'),
    reviews: createQueryFn<Review[]>(client, 'reviews', '/reviews'),
    recommendations: createQueryFn<string[]>(client, 'recommendations', '/recommendations'),
    me: createQueryFn<{ name: string }>(client, 'auth', '/auth/me'),
    order: createMutationFn<Price, Order>(client, 'orders', (item) => ({
      input: '/orders',
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ item: item.id }),
      },
    })),
    reload: () => void queryClient.refetchQueries({ type: 'active' }),
  };
  return {
    app,
    stop: () => {
      unbind();
      queryClient.clear();
      client.dispose();
    },
  };
}

/** The app of one mount of a story: made in an effect, so StrictMode's second mount gets a working one. */
function useApp(shop: Shop, scenario: ChaosScenario<Dependency> | undefined): App | undefined {
  const [app, setApp] = useState<App>();
  useEffect(() => {
    shop.chaos.reset();
    shop.server.reset();
    if (scenario) shop.chaos.apply(scenario);
    const { app: started, stop } = startApp();
    setApp(started);
    return () => {
      setApp(undefined);
      stop();
    };
  }, [shop, scenario]);
  return app;
}

// ---------------------------------------------------------------------------------------------------------
// The shop's UI.

const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });

function Prices({ app }: { app: App }) {
  const titleId = useId();
  const prices = useQuery({ queryKey: ['prices'], queryFn: app.prices });
  const [last, setLast] = useState<string>();
  const order = useMutation({
    ...queuedMutationOptions,
    mutationFn: app.order,
    onSuccess: (result, item) =>
      setLast(
        isQueuedMutation(result)
          ? `${item.name} will be added to your cart when the shop can be reached.`
          : `${item.name} added to your cart.`,
      ),
    onError: (_error, item) => setLast(`${item.name} could not be added to your cart.`),
  });
  return (
    <section className="story-shop__section" aria-labelledby={titleId}>
      <h2 id={titleId}>Prices</h2>
      <StaleDataNotice dependency="pricing" />
      {prices.isPending ? (
        <p>Loading prices…</p>
      ) : prices.isError ? (
        <p>Prices could not be loaded.</p>
      ) : (
        <ul className="story-shop__prices">
          {prices.data.map((p) => (
            <li key={p.id}>
              <span>{p.name}</span> <strong>{money.format(p.price)}</strong>{' '}
              <WriteGuard dependency="orders">
                <button type="button" className="brownout-button" onClick={() => order.mutate(p)}>
                  Add {p.name} to cart
                </button>
              </WriteGuard>
            </li>
          ))}
        </ul>
      )}
      <p role="status">{last ?? ''}</p>
      <QueuedWritesIndicator
        dependency="orders"
        describe={(entry) => `Add to cart (${entry.idempotencyKey.slice(0, 8)})`}
      />
    </section>
  );
}

function Reviews({ app }: { app: App }) {
  const titleId = useId();
  // The query lives outside <Degradable>: it stays observed while the part is hidden, so the breaker's
  // probe (bindQueryClient) can bring it back.
  const reviews = useQuery({ queryKey: ['reviews'], queryFn: app.reviews });
  return (
    <section className="story-shop__section" aria-labelledby={titleId}>
      <h2 id={titleId}>Reviews</h2>
      <Degradable
        dependency="reviews"
        placeholder={<p>Reviews are unavailable right now. Everything else works.</p>}
      >
        {reviews.isPending ? (
          <p>Loading reviews…</p>
        ) : reviews.isError ? (
          <p>Reviews could not be loaded.</p>
        ) : (
          <ul>
            {reviews.data.map((r) => (
              <li key={r.id}>
                {r.author}: {r.stars} of 5 stars. {r.text}
              </li>
            ))}
          </ul>
        )}
      </Degradable>
    </section>
  );
}

function Recommendations({ app }: { app: App }) {
  const titleId = useId();
  const recommendations = useQuery({ queryKey: ['recommendations'], queryFn: app.recommendations });
  return (
    <section className="story-shop__section" aria-labelledby={titleId}>
      <h2 id={titleId}>You may also like</h2>
      <Degradable dependency="recommendations">
        {recommendations.isSuccess ? (
          <ul>
            {recommendations.data.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        ) : (
          <p>Loading recommendations…</p>
        )}
      </Degradable>
    </section>
  );
}

function ServerLog({ shop }: { shop: Shop }) {
  useSyncExternalStore(shop.server.subscribe, shop.server.snapshot, shop.server.snapshot);
  const orders = shop.server.effects.size;
  return (
    <p>
      Orders the server has taken: <strong data-testid="orders-taken">{orders}</strong> (requests received:{' '}
      {shop.server.received}).
    </p>
  );
}

function ChaosPanel({ shop, app, scenario }: { shop: Shop; app: App; scenario?: Scenario }) {
  const { chaos } = shop;
  const titleId = useId();
  const modes = useSyncExternalStore(chaos.subscribe, chaos.modes, chaos.modes);
  const flip = (dependency: Dependency, mode: ChaosMode): void => {
    chaos.set(dependency, mode);
    // Show the effect at once: what is on screen is fetched again.
    app.reload();
  };
  return (
    <aside className="story-chaos" aria-labelledby={titleId}>
      <h2 id={titleId}>Simulated backend</h2>
      <p>Switch what each backend service does; the page fetches its data again after each switch.</p>
      {scenario && (
        <p>
          <button
            type="button"
            className="brownout-button"
            onClick={() => {
              chaos.apply(scenario.chaos);
              app.reload();
            }}
          >
            {scenario.label}
          </button>{' '}
          <button
            type="button"
            className="brownout-button brownout-button--quiet"
            onClick={() => {
              chaos.apply({});
              app.reload();
            }}
          >
            Make everything healthy
          </button>
        </p>
      )}
      <ul className="story-chaos__list">
        {DEPENDENCIES.map((d) => (
          <ChaosRow key={d} dependency={d} mode={modes[d]} onMode={(mode) => flip(d, mode)} />
        ))}
      </ul>
      <ServerLog shop={shop} />
    </aside>
  );
}

function ChaosRow({
  dependency,
  mode,
  onMode,
}: {
  dependency: Dependency;
  mode: ChaosMode;
  onMode: (mode: ChaosMode) => void;
}) {
  const id = useId();
  return (
    <li data-dependency={dependency} data-mode={mode}>
      <label htmlFor={id}>{`${dependency} mode`}</label>{' '}
      <select id={id} value={mode} onChange={(e) => onMode(e.currentTarget.value as ChaosMode)}>
        {MODES.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>{' '}
      <button type="button" className="brownout-button brownout-button--quiet" onClick={() => onMode('down')}>
        Break {dependency}
      </button>{' '}
      <button
        type="button"
        className="brownout-button brownout-button--quiet"
        onClick={() => onMode('healthy')}
      >
        Fix {dependency}
      </button>
    </li>
  );
}

function Shop({ app }: { app: App }) {
  // Observed here, outside <MaintenanceScreen>: while the page is replaced, the auth query stays on screen
  // for bindQueryClient, which sends it as the breaker's probe and so brings the page back.
  const me = useQuery({ queryKey: ['me'], queryFn: app.me });
  return (
    // It replaces the whole page here, so it is the page's main and h1.
    <MaintenanceScreen as="main" headingLevel={1}>
      <main className="story-shop">
        <h1>Brownout tea shop</h1>
        <DegradationBanner onRetry={app.reload} />
        <p>
          {me.isSuccess ? `Signed in as ${me.data.name}.` : 'Checking who you are…'}{' '}
          <button type="button" className="brownout-button brownout-button--quiet" onClick={app.reload}>
            Reload page data
          </button>
        </p>
        <Prices app={app} />
        <Reviews app={app} />
        <Recommendations app={app} />
      </main>
    </MaintenanceScreen>
  );
}

interface Scenario {
  /** The text of the button that applies it. */
  readonly label: string;
  readonly chaos: ChaosScenario<Dependency>;
}

interface ScenarioProps {
  shop: Shop;
  /** Applied when the story mounts, before the first request. */
  initial?: ChaosScenario<Dependency>;
  /** Offered as a button (the play function clicks it). */
  scenario?: Scenario;
}

function ScenarioShop({ shop, initial, scenario }: ScenarioProps): ReactNode {
  const app = useApp(shop, initial);
  if (!app) return <p>Starting the shop…</p>;
  return (
    <BrownoutProvider client={app.client}>
      <BrownoutUIProvider locale="en">
        <QueryClientProvider client={app.queryClient}>
          <Shop app={app} />
          <ChaosPanel shop={shop} app={app} {...(scenario ? { scenario } : {})} />
          <aside aria-label="Operator view">
            <DependencyHealthPanel refreshMs={1_000} />
          </aside>
        </QueryClientProvider>
      </BrownoutUIProvider>
    </BrownoutProvider>
  );
}

// ---------------------------------------------------------------------------------------------------------
// The stories.

// No `component` and no args: a shop (its chaos controller, handlers and server) is not serializable, so
// each story renders its own.
const meta: Meta = { title: 'Scenarios', parameters: { layout: 'padded' } };
export default meta;
type Story = StoryObj;

const LONG = { timeout: 20_000 };
const BANNER_CACHED = /Showing saved data from/;
const stalePricing = (canvasElement: HTMLElement) =>
  canvasElement.querySelector('.brownout-notice[data-dependency="pricing"]');

const pricingOutage = createShop(11);
/**
 * Prices load; then pricing goes down. The last good prices stay on screen, with their age in the banner
 * ("Showing saved data from …") and next to them; when pricing is fixed, the breaker's probe brings fresh
 * prices and the banner goes.
 */
export const PricingOutage: Story = {
  name: 'Pricing outage',
  render: () => (
    <ScenarioShop
      shop={pricingOutage}
      scenario={{ label: 'Start the pricing outage', chaos: scenarios['pricing outage'] }}
    />
  ),
  parameters: { msw: { handlers: pricingOutage.handlers } },
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('prices load', async () => {
      await canvas.findByText('€12.00', {}, LONG);
      await expect(canvas.queryByText(BANNER_CACHED)).toBeNull();
    });
    await step('pricing goes down: the last prices stay, with their age', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Break pricing' }));
      const banner = await canvas.findByRole('region', { name: BANNER_CACHED }, LONG);
      await expect(banner).toHaveAttribute('data-level', 'cached');
      await expect(banner).toHaveTextContent(/Pricing may be out of date/);
      // The notice's words are split by the dependency's name and the ticking <time>.
      await waitFor(
        () =>
          expect(stalePricing(canvasElement)).toHaveTextContent(
            /^⚠ Pricing may be out of date: showing what was saved .+ ago$/,
          ),
        LONG,
      );
      await expect(stalePricing(canvasElement)).toHaveAttribute('data-freshness', 'stale');
      await expect(canvas.getByText('€12.00')).toBeVisible();
      await expect(pricingOutage.chaos.get('pricing')).toBe('down');
    });
    await step('pricing is fixed: the banner and the notice clear', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Fix pricing' }));
      await waitFor(() => expect(canvas.queryByText(BANNER_CACHED)).toBeNull(), LONG);
      await waitFor(() => expect(stalePricing(canvasElement)).toBeNull(), LONG);
      await expect(canvas.getByText('€12.00')).toBeVisible();
    });
  },
};

const reviewsSlow = createShop(12);
/**
 * Reviews answer after 3 s, past the client's 1.5 s deadline: the reviews part shows its loading state,
 * then steps aside with a placeholder; prices, recommendations and the cart keep working.
 */
export const ReviewsSlow: Story = {
  name: 'Reviews slow',
  render: () => <ScenarioShop shop={reviewsSlow} initial={scenarios['reviews slow']} />,
  parameters: { msw: { handlers: reviewsSlow.handlers } },
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('the rest of the page loads while reviews are still loading', async () => {
      await canvas.findByText('€12.00', {}, LONG);
      await canvas.findByText('Tea strainer', {}, LONG);
      await expect(canvas.getByText('Loading reviews…')).toBeVisible();
    });
    await step('reviews time out: the part steps aside', async () => {
      await canvas.findByText('Reviews are unavailable right now. Everything else works.', {}, LONG);
      const banner = await canvas.findByRole(
        'region',
        { name: 'Some parts of this page are unavailable for now' },
        LONG,
      );
      await expect(banner).toHaveAttribute('data-level', 'partial');
      await expect(banner).toHaveTextContent("Reviews can't be shown right now.");
      await expect(canvas.queryByText('Keeps my tea warm for ages.', { exact: false })).toBeNull();
    });
    await step('the cart still works', async () => {
      const add = canvas.getByRole('button', { name: 'Add Blue mug to cart' });
      await expect(add).toHaveAttribute('data-write-mode', 'send');
      await userEvent.click(add);
      await canvas.findByText('Blue mug added to your cart.', {}, LONG);
      await expect([...reviewsSlow.server.effects.values()]).toEqual([1]);
    });
  },
};

const ordersDown = createShop(13);
/**
 * Orders is down: "Add to cart" still works, the change waits in the outbox ("1 change waiting to be
 * sent"); when orders is back, it is replayed with the same idempotency key and takes effect once.
 */
export const OrdersDownWritesQueue: Story = {
  name: 'Orders down, writes queue',
  render: () => <ScenarioShop shop={ordersDown} initial={scenarios['orders down, writes queue']} />,
  parameters: { msw: { handlers: ordersDown.handlers } },
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('add to cart while orders is down: the change is queued', async () => {
      await canvas.findByText('€12.00', {}, LONG);
      await userEvent.click(canvas.getByRole('button', { name: 'Add Blue mug to cart' }));
      await canvas.findByText('1 change waiting to be sent', {}, LONG);
      await canvas.findByText('Blue mug will be added to your cart when the shop can be reached.', {}, LONG);
      const banner = await canvas.findByRole('region', { name: 'Your changes will be sent later' }, LONG);
      await expect(banner).toHaveAttribute('data-level', 'minimal');
      await expect(canvas.getByRole('button', { name: 'Add Blue mug to cart' })).toHaveAccessibleDescription(
        /will be saved and sent later/,
      );
      await expect(canvas.getByText(/kept only in this tab/)).toBeVisible();
      await expect(ordersDown.server.effects.size).toBe(0);
    });
    await step('orders is back: the queued change is sent once', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Fix orders' }));
      await waitFor(() => expect(canvas.queryByText('1 change waiting to be sent')).toBeNull(), {
        timeout: 15_000,
      });
      await waitFor(() => expect(canvas.getByTestId('orders-taken')).toHaveTextContent('1'), LONG);
      await expect([...ordersDown.server.effects.values()]).toEqual([1]);
      await waitFor(
        () => expect(canvas.queryByRole('region', { name: 'Your changes will be sent later' })).toBeNull(),
        LONG,
      );
    });
  },
};

const authDown = createShop(14);
/**
 * Auth is critical and fails closed: no anonymous fallback, the whole page gives way to the maintenance
 * screen. When auth is back, the breaker's probe (the auth query) brings the shop back.
 */
export const AuthDownFailClosed: Story = {
  name: 'Auth down (fail closed)',
  render: () => <ScenarioShop shop={authDown} initial={scenarios['auth down (fail closed)']} />,
  parameters: { msw: { handlers: authDown.handlers } },
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('the maintenance screen replaces the shop', async () => {
      const heading = await canvas.findByRole(
        'heading',
        { level: 1, name: 'Sorry, there is a problem with the service' },
        LONG,
      );
      await waitFor(() => expect(heading).toHaveFocus());
      await expect(canvas.queryByRole('heading', { name: 'Brownout tea shop' })).toBeNull();
      await expect(canvas.queryByText('€12.00')).toBeNull();
      await expect(canvasElement.querySelector('[data-level="maintenance"]')).not.toBeNull();
    });
    await step('auth is back: the shop returns', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Fix auth' }));
      await canvas.findByRole('heading', { level: 1, name: 'Brownout tea shop' }, LONG);
      await canvas.findByText(/Signed in as Ada/, {}, LONG);
      await expect(
        canvas.queryByRole('heading', { name: 'Sorry, there is a problem with the service' }),
      ).toBeNull();
    });
  },
};

const recovery = createShop(15);
/**
 * Pricing goes down and comes back by itself after 3 failed calls: the banner appears, the breaker's
 * probe (one refetch when its open period ends) finds pricing back, and the banner clears on its own.
 */
export const Recovery: Story = {
  name: 'Recovery',
  render: () => (
    <ScenarioShop
      shop={recovery}
      scenario={{ label: 'Start an outage that ends by itself', chaos: scenarios.recovery }}
    />
  ),
  parameters: { msw: { handlers: recovery.handlers } },
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('prices load', async () => {
      await canvas.findByText('€12.00', {}, LONG);
    });
    await step('pricing goes down: the banner appears', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Start an outage that ends by itself' }));
      await canvas.findByRole('region', { name: BANNER_CACHED }, LONG);
      await expect(canvas.getByText('€12.00')).toBeVisible();
    });
    await step('pricing recovers: the banner clears by itself', async () => {
      await waitFor(() => expect(canvas.queryByText(BANNER_CACHED)).toBeNull(), { timeout: 15_000 });
      await expect(recovery.chaos.get('pricing')).toBe('healthy');
      await expect(recovery.chaos.calls('pricing')).toBeGreaterThanOrEqual(5);
      await expect(canvas.getByLabelText('pricing mode')).toHaveValue('healthy');
    });
  },
};
