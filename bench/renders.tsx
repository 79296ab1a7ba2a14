// React renders, counted in jsdom: 100 dependencies with 100 components each reading one (useDependency),
// then 50 StaleDataNotice components whose ages tick for 60 s. Targets: a change to one dependency renders
// exactly one component; the ticking renders none of the notices' parents.
import { JSDOM } from 'jsdom';
import { act } from 'react';
import { createVirtualClock } from '../src/core/clock.js';
import { createClient } from '../src/index.js';
import { BrownoutProvider } from '../src/react/index.js';
import { type Check, type SectionOptions, type SectionResult, table } from './harness.js';
import { counts, Grid, NoticeParent } from './renderComponents.js';

export async function run(_: SectionOptions): Promise<SectionResult> {
  // react-dom reads `window` and `document` when it loads: set them up first, then import it.
  const dom = new JSDOM('<!doctype html><html><body><div id="root"></div></body></html>', {
    url: 'https://app.test/',
  });
  const g = globalThis as any;
  g.window = dom.window;
  g.document = dom.window.document;
  for (const key of ['HTMLElement', 'Node', 'Element', 'MutationObserver', 'getComputedStyle']) {
    g[key] = (dom.window as any)[key];
  }
  // Node 20 has no global navigator (21 does): define jsdom's.
  Object.defineProperty(globalThis, 'navigator', { value: dom.window.navigator, configurable: true });
  g.IS_REACT_ACT_ENVIRONMENT = true;
  const { createRoot } = await import('react-dom/client');

  const clock = createVirtualClock();
  const names = Array.from({ length: 100 }, (_, i) => `d${i}`);
  let pricingDown = false;
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = String(input);
    if (url.includes('/p/') && pricingDown) return new Response(null, { status: 503 });
    return new Response(url.includes('/p/') ? '{"price":1}' : null, {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  const dependencies: Record<string, object> = Object.fromEntries(names.map((n) => [n, { reads: 'none' }]));
  dependencies.pricing = { retry: { maxAttempts: 1 } };
  const client = createClient({ clock, fetch: fetch as typeof globalThis.fetch, dependencies });

  const keys = Array.from({ length: 50 }, (_, i) => `https://api.test/p/${i}`);
  const container = dom.window.document.getElementById('root')!;
  const root = createRoot(container);
  await act(async () => {
    root.render(
      <BrownoutProvider client={client}>
        <Grid names={names} />
        <NoticeParent urls={keys} />
      </BrownoutProvider>,
    );
  });
  const total = (): number => [...counts.dependency.values()].reduce((a, b) => a + b, 0);

  // 1. One dependency changes (its breaker is isolated by an operator): only its component renders.
  let before = total();
  const gridBefore = counts.grid;
  await act(async () => {
    client.breaker('d42').isolate();
  });
  const perDependencyChange = total() - before;
  const d42 = container.querySelector('[data-level]:nth-child(43)')?.getAttribute('data-health');

  // 2. 100 healthy calls to one dependency: nothing a component shows changes, nothing renders.
  before = total();
  await act(async () => {
    for (let i = 0; i < 100; i++) await (await client.fetch('d7', 'https://api.test/d7')).text();
  });
  const healthyCallsRenders = total() - before;

  // 3. 50 values go stale (fetched, then the dependency fails and the cache answers), then 60 s pass.
  await act(async () => {
    for (const url of keys) await (await client.fetch('pricing', url)).text();
    await clock.flush();
    pricingDown = true;
    for (const url of keys) await (await client.fetch('pricing', url)).text();
    await clock.flush();
  });
  const staleShown = container.querySelectorAll('[data-freshness="stale"]').length;
  const textBefore = container.querySelector('[data-freshness]')?.textContent ?? '';
  const parentBefore = counts.parent;
  const noticesBefore = counts.noticeCommits;
  for (let s = 0; s < 60; s++) {
    await act(async () => {
      clock.advance(1_000);
    });
  }
  const tickParents = counts.parent - parentBefore;
  const tickNoticeCommits = counts.noticeCommits - noticesBefore;
  const textAfter = container.querySelector('[data-freshness]')?.textContent ?? '';
  await act(async () => root.unmount());
  client.dispose();

  const checks: Check[] = [
    {
      name: 'renders: a change to one dependency renders exactly 1 component',
      ok: perDependencyChange === 1,
      detail: `${perDependencyChange}`,
    },
    { name: 'renders: ticking ages render 0 parents', ok: tickParents === 0, detail: `${tickParents}` },
    {
      name: 'renders: the 50 notices show stale data',
      ok: staleShown === 50,
      detail: `${staleShown} shown`,
    },
  ];
  const markdown = [
    '## 7. React renders (jsdom, React 19, virtual clock)',
    '',
    table(
      ['scenario', 'renders', 'target'],
      [
        [
          '100 components × useDependency, one dependency changes (breaker isolated)',
          `${perDependencyChange} (parent: ${counts.grid - gridBefore})`,
          '1',
        ],
        ['100 healthy calls to one dependency', healthyCallsRenders, '0'],
        ['50 StaleDataNotice ticking for 60 s: renders of their parent', tickParents, '0'],
        ['… commits inside the 50 notices over those 60 s (the ages ticking)', tickNoticeCommits, '—'],
      ],
    ),
    '',
    `The notices use the kit's \`StaleDataNotice\` (src/ui); ${staleShown} of 50 showed stale data, and`,
    `the first one's text went from "${textBefore}" to "${textAfter}". The isolated dependency's`,
    `component shows health "${d42}".`,
  ].join('\n');
  return {
    markdown,
    json: {
      perDependencyChange,
      tickParents,
      healthyCallsRenders,
      tickNoticeCommits,
      staleShown,
    },
    checks,
  };
}
