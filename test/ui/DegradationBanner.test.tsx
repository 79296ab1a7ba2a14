import { act, screen, within } from '@testing-library/react';
import { BrownoutAnnouncer, DegradationBanner } from '../../src/entries/react.js';
import { renderIn } from './support.js';

describe('DegradationBanner', () => {
  test('absent at normal, but its live region is there (empty)', async () => {
    const { view } = await renderIn('normal', <DegradationBanner />);
    expect(view.container.querySelector('.brownout-banner')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  test('cached: "Showing data as of 14 minutes ago", with the countdown and Retry now', async () => {
    const onRetry = vi.fn();
    const p = await renderIn('cached', <DegradationBanner onRetry={onRetry} />);
    const banner = screen.getByRole('region', { name: 'Showing data as of 14 minutes ago' });
    expect(banner).toHaveAttribute('data-level', 'cached');
    expect(banner).toHaveTextContent('Pricing is not responding, so what you see may be out of date.');
    expect(banner).toHaveTextContent('Retrying in 12 s');
    await act(() => p.advance(60_000));
    expect(banner).toHaveTextContent('Showing data as of 15 minutes ago');
  });

  test('partial names the optional feature; minimal says writes wait for the dependency', async () => {
    const partial = await renderIn('partial', <DegradationBanner />);
    expect(screen.getByRole('region')).toHaveTextContent(
      'Some features are temporarily unavailableReviews is not responding. Everything else works.',
    );
    partial.view.unmount();
    await renderIn('minimal', <DegradationBanner />);
    expect(screen.getByRole('region', { name: /changes will be sent when Orders is back/ })).toHaveAttribute(
      'data-level',
      'minimal',
    );
  });

  test('maintenance; a banner for some dependencies ignores the others', async () => {
    const p = await renderIn(
      'maintenance',
      <>
        <DegradationBanner />
        <div data-testid="page">
          <DegradationBanner dependencies={['pricing', 'reviews']} announce={false} />
        </div>
      </>,
    );
    expect(screen.getByRole('region', { name: 'Auth is unavailable right now' })).toHaveAttribute(
      'data-level',
      'maintenance',
    );
    expect(within(screen.getByTestId('page')).queryByRole('region')).toBeNull();
    expect(p.view.container.querySelectorAll('[data-brownout-announcer]')).toHaveLength(1);
  });

  test('texts, labels and locale come from BrownoutUIProvider and the messages prop', async () => {
    await renderIn('cached', <DegradationBanner messages={{ bannerTitle: { cached: 'Stand: {age}' } }} />, {
      text: {
        locale: 'de',
        labels: { pricing: 'Preise' },
        messages: { retryingIn: 'Neuer Versuch in {seconds} s' },
      },
    });
    const banner = screen.getByRole('region');
    expect(banner).toHaveTextContent('Stand: vor 14 Minuten');
    expect(banner).toHaveTextContent('Preise');
    expect(banner).toHaveTextContent('Neuer Versuch in 12 s');
  });
});

test('cached with nothing served from the cache yet: it does not claim saved data is shown', async () => {
  const p = await renderIn('normal', <DegradationBanner />);
  p.set('pricing', 'down');
  p.client.breaker('pricing').isolate(); // down before anything of it came from the cache
  await act(() => p.read('reviews'));
  const banner = await screen.findByRole('region');
  expect(banner).toHaveAttribute('data-level', 'cached');
  expect(banner).toHaveAccessibleName('Pricing is temporarily unavailable');
  expect(banner).not.toHaveTextContent(/Showing/);
});

describe('BrownoutAnnouncer', () => {
  test('a worsening is said politely, maintenance assertively, an improvement politely; ticking never', async () => {
    const p = await renderIn('normal', <DegradationBanner />);
    const polite = screen.getByRole('status');
    const assertive = screen.getByRole('alert');
    p.set('pricing', 'down');
    await act(() => p.read('pricing'));
    expect(polite).toHaveTextContent('Showing saved data: a service is not responding.');
    expect(assertive).toHaveTextContent('');
    const said = polite.textContent;
    await act(() => p.advance(5_000)); // the countdown and the age tick
    expect(polite.textContent).toBe(said);
    p.set('auth', 'down');
    await act(() => p.read('auth'));
    expect(assertive).toHaveTextContent('The service is unavailable right now.');
    p.set('auth', 'up');
    p.set('pricing', 'up');
    act(() => {
      p.client.breaker('auth').reset();
      p.client.breaker('pricing').reset();
    });
    await act(() => p.advance(5_000)); // settleMs
    expect(polite).toHaveTextContent('Everything is working again.');
    expect(assertive).toHaveTextContent('');
  });

  test('one live region per client: a second announcer renders nothing', async () => {
    const { view } = await renderIn(
      'normal',
      <>
        <BrownoutAnnouncer />
        <BrownoutAnnouncer />
      </>,
    );
    expect(view.container.querySelectorAll('[role="status"]')).toHaveLength(1);
  });
});
