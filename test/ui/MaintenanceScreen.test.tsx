import { act, screen } from '@testing-library/react';
import { Degradable, DependencyHealthPanel, MaintenanceScreen } from '../../src/entries/react.js';
import { renderIn } from './support.js';

describe('MaintenanceScreen', () => {
  test('shows the app while not in maintenance', async () => {
    await renderIn('cached', <MaintenanceScreen>the shop</MaintenanceScreen>);
    expect(screen.getByText('the shop')).toBeInTheDocument();
    expect(screen.queryByRole('heading')).toBeNull();
  });

  test('a friendly page with the support code and focus on its heading; never the server text', async () => {
    const p = await renderIn('maintenance', <MaintenanceScreen>the shop</MaintenanceScreen>);
    // Inside the app's own page by default: no second main, no second h1.
    const heading = screen.getByRole('heading', {
      level: 2,
      name: 'Sorry, there is a problem with the service',
    });
    expect(heading).toHaveFocus();
    expect(screen.queryByRole('main')).toBeNull();
    expect(p.view.container.querySelector('section')).toHaveAttribute('data-level', 'maintenance');
    expect(screen.queryByText('the shop')).toBeNull();
    const code = p.view.container.querySelector('code');
    expect(code?.textContent).toMatch(/^[0-9a-f]{32}$/);
    expect(p.view.container.textContent).not.toContain('Service Unavailable'); // the server's title
    expect(p.view.container.textContent).not.toMatch(/you should be able to use it again/i); // no promise
  });

  test('when the server said when (Retry-After), it says so in the user’s locale; it leaves when auth is back', async () => {
    const p = await renderIn('maintenance', <MaintenanceScreen>the shop</MaintenanceScreen>, {
      text: { locale: 'en' },
    });
    p.client.breaker('auth').hold(p.clock.now() + 2 * 3_600_000);
    await act(() => p.read('auth'));
    expect(p.view.container).toHaveTextContent('You should be able to use it again in 2 hours.');
    p.set('auth', 'up');
    act(() => p.client.breaker('auth').reset());
    await act(() => p.advance(5_000));
    expect(screen.getByText('the shop')).toBeInTheDocument();
  });

  test('replacing the whole page, it is the main and the h1; the support contact is shown', async () => {
    await renderIn(
      'maintenance',
      <MaintenanceScreen as="main" headingLevel={1} support="Call us on 0800 123 456">
        the shop
      </MaintenanceScreen>,
    );
    expect(screen.getByRole('main')).toContainElement(screen.getByRole('heading', { level: 1 }));
    expect(screen.getByText('Call us on 0800 123 456')).toBeInTheDocument();
  });

  test("one support code for the whole incident, and the user's waiting changes are counted as safe", async () => {
    const p = await renderIn('maintenance', <MaintenanceScreen>the shop</MaintenanceScreen>);
    const code = p.view.container.querySelector('code')?.textContent;
    p.set('orders', 'down');
    await act(async () => {
      await p.write('orders');
      await p.write('orders');
      await p.advance(50_000); // auth's probe fails again: a new correlation id, the same code shown
      await p.read('auth');
    });
    expect(p.view.container.querySelector('code')?.textContent).toBe(code);
    expect(p.view.container).toHaveTextContent(
      'Your 2 changes are saved on this device and will be sent when the service is back.',
    );
  });

  test('backAt from the app wins', async () => {
    const p = await renderIn('normal', null);
    p.view.unmount();
    const q = await renderIn('maintenance', <MaintenanceScreen backAt={Date.UTC(2026, 10, 28, 12, 44)} />);
    expect(q.view.container).toHaveTextContent('You should be able to use it again in 30 minutes.');
  });
});

describe('Degradable', () => {
  test('shows its part while up, the placeholder while its dependency is down', async () => {
    const p = await renderIn(
      'normal',
      <Degradable dependency="reviews" placeholder={<p>Reviews are unavailable right now.</p>}>
        <p>★★★★☆ 4 reviews</p>
      </Degradable>,
    );
    expect(screen.getByText('★★★★☆ 4 reviews')).toBeInTheDocument();
    p.set('reviews', 'down');
    await act(() => p.read('reviews'));
    expect(screen.getByText('Reviews are unavailable right now.')).toBeInTheDocument();
    expect(screen.queryByText('★★★★☆ 4 reviews')).toBeNull();
  });

  test('with no placeholder it renders nothing while down', async () => {
    const { view } = await renderIn('partial', <Degradable dependency={['reviews']}>x</Degradable>);
    expect(view.container).toBeEmptyDOMElement();
  });
});

describe('DependencyHealthPanel', () => {
  test('a table row per dependency with level, breaker and since when, rates, queued writes, last problem', async () => {
    const p = await renderIn('minimal', <DependencyHealthPanel />);
    expect(screen.getByRole('table', { name: 'Dependency health' })).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-level'))).toEqual([
      'normal',
      'normal',
      'normal',
      'minimal',
      'normal',
    ]);
    const orders = screen.getByRole('rowheader', { name: /Orders/ }).closest('tr')!;
    expect(orders).toHaveAttribute('data-breaker', 'open');
    expect(orders).toHaveTextContent('open since 1 second ago');
    expect(orders).toHaveTextContent('100 %'); // error rate
    expect(orders).toHaveTextContent(/Service Unavailable · 503 · [0-9a-f]{32}/);
    expect(orders.querySelectorAll('td')[6]).toHaveTextContent('1'); // queued writes
    expect(screen.getByRole('listitem')).toHaveTextContent(
      '1 second ago: Orders healthy/normal → down/minimal',
    );
    await act(() => p.advance(10_000));
    expect(orders).toHaveTextContent('open since 10 seconds ago');
  });
});
