import { act, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { BrownoutAnnouncer, DegradationBanner } from '../../src/entries/react.js';
import { renderIn } from './support.js';

describe('DegradationBanner', () => {
  test('absent at normal, but its live region is there (empty)', async () => {
    const { view } = await renderIn('normal', <DegradationBanner />);
    expect(view.container.querySelector('.brownout-banner')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  test('cached: "Showing saved data from 14 minutes ago", with the countdown and Retry now', async () => {
    const onRetry = vi.fn();
    const p = await renderIn('cached', <DegradationBanner onRetry={onRetry} />);
    const banner = screen.getByRole('region', { name: 'Showing saved data from 14 minutes ago' });
    expect(banner).toHaveAttribute('data-level', 'cached');
    expect(banner).toHaveAttribute('data-situation', 'cached');
    expect(banner).toHaveTextContent('Pricing may be out of date.');
    expect(banner).toHaveTextContent('Retrying in 12 s');
    await act(() => p.advance(60_000));
    expect(banner).toHaveTextContent('Showing saved data from 15 minutes ago');
  });

  test('partial names the optional part; minimal says the changes will be sent later', async () => {
    const partial = await renderIn('partial', <DegradationBanner />);
    expect(screen.getByRole('region')).toHaveTextContent(
      "Some parts of this page are unavailable for nowReviews can't be shown right now.",
    );
    partial.view.unmount();
    await renderIn('minimal', <DegradationBanner />);
    const banner = screen.getByRole('region', { name: 'Your changes will be sent later' });
    expect(banner).toHaveAttribute('data-level', 'minimal');
    expect(banner).toHaveTextContent('Your changes are saved on this device and will be sent later.');
  });

  test('every outage at once is told, most severe first, in one banner', async () => {
    const p = await renderIn('normal', <DegradationBanner />);
    await act(() => p.read('pricing'));
    for (const d of ['pricing', 'reviews', 'orders'] as const) p.set(d, 'down');
    await act(async () => {
      await p.read('pricing');
      await p.read('reviews');
      await p.write('orders');
    });
    const banner = screen.getByRole('region');
    expect(banner).toHaveAccessibleName(/^Showing saved data from/);
    expect([...banner.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Pricing may be out of date.',
      'Your changes are saved on this device and will be sent later.',
      "Reviews can't be shown right now.",
    ]);
  });

  test("offline: told as the connection, with the saved data's age and when changes go; no service blamed", async () => {
    await renderIn('offline', <DegradationBanner onRetry={() => {}} />);
    const banner = screen.getByRole('region', { name: "You're offline" });
    expect(banner).toHaveAttribute('data-situation', 'offline');
    expect([...banner.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      "Check your connection. We'll carry on when you're back online.",
      'Pricing may be out of date. Saved 14 minutes ago.',
      "Your changes will be sent when you're back online.",
    ]);
    expect(banner).not.toHaveTextContent(/unavailable|not responding|problem with the service|Retry/);
  });

  test('slow: "Taking longer than usual…" while a call waits past slowMs', async () => {
    await renderIn('slow', <DegradationBanner />);
    const banner = screen.getByRole('region', { name: 'Taking longer than usual…' });
    expect(banner).toHaveAttribute('data-level', 'normal');
    expect(banner).toHaveTextContent('Loading Pricing is taking longer than usual…');
  });

  test('rate limited: the service is busy and asked us to wait; Retry now is held', async () => {
    await renderIn('busy', <DegradationBanner onRetry={() => {}} />);
    const banner = screen.getByRole('region', { name: 'Showing saved data from 14 minutes ago' });
    expect(banner).toHaveTextContent('The service for Pricing is busy and asked us to wait.');
    expect(banner).not.toHaveTextContent(/not responding/);
    expect(screen.getByRole('button', { name: 'Retry now' })).toHaveAttribute('aria-disabled', 'true');
    expect(banner).toHaveTextContent('Retrying in 30 s');
  });

  test('memory-only writes never claim to be kept on the device', async () => {
    const p = await renderIn('normal', <DegradationBanner />, { persistence: 'memory' });
    p.set('orders', 'down');
    await act(() => p.write('orders'));
    expect(screen.getByRole('region')).toHaveTextContent(
      'Your changes will be sent later. Keep this tab open: they are not saved on this device.',
    );
    expect(screen.getByRole('region')).not.toHaveTextContent(/on this device and/);
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
    const banner = screen.getByRole('region', { name: 'Sorry, there is a problem with the service' });
    expect(banner).toHaveAttribute('data-level', 'maintenance');
    expect(banner).toHaveTextContent("Auth can't be used right now.");
    expect(within(screen.getByTestId('page')).queryByRole('region')).toBeNull();
    expect(p.view.container.querySelectorAll('[data-brownout-announcer]')).toHaveLength(1);
  });

  test('texts, labels and locale come from BrownoutUIProvider and the messages prop', async () => {
    await renderIn('cached', <DegradationBanner messages={{ headline: { cached: 'Stand: {age}' } }} />, {
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
  expect(banner).toHaveAccessibleName('Pricing may be out of date.');
  expect(banner).not.toHaveTextContent(/Showing/);
});

let showBanner: (show: boolean) => void = () => {};
/** A page whose banner can go away (as when a maintenance screen replaces it), under a provider's announcer. */
function Page() {
  const [show, setShow] = useState(true);
  showBanner = setShow;
  return (
    <>
      <BrownoutAnnouncer priority={1} />
      {show && <DegradationBanner />}
    </>
  );
}

describe('BrownoutAnnouncer', () => {
  test('a worsening is said at once (maintenance assertively), a recovery once it has held 5 s; ticking never', async () => {
    const p = await renderIn('normal', <DegradationBanner />);
    const polite = screen.getByRole('status');
    const assertive = screen.getByRole('alert');
    await act(() => p.read('pricing'));
    p.set('pricing', 'down');
    await act(() => p.read('pricing'));
    expect(polite).toHaveTextContent('Pricing may be out of date.');
    expect(assertive).toHaveTextContent('');
    const said = polite.textContent;
    await act(() => p.advance(5_000)); // the countdown and the age tick
    expect(polite.textContent).toBe(said);
    p.set('auth', 'down');
    await act(() => p.read('auth'));
    expect(assertive).toHaveTextContent("Auth can't be used right now.");
    p.set('auth', 'up');
    p.set('pricing', 'up');
    act(() => {
      p.client.breaker('auth').reset();
      p.client.breaker('pricing').reset();
    });
    await act(() => p.read('pricing'));
    expect(screen.queryByRole('region')).toBeNull(); // the screen follows at once
    await act(() => p.advance(4_900));
    expect(assertive).toHaveTextContent("Auth can't be used right now."); // not yet: a recovery must hold
    await act(() => p.advance(100));
    expect(polite).toHaveTextContent('Up to date again: Pricing. Working again: Auth.');
    expect(assertive).toHaveTextContent('');
  });

  test('a relapse within 5 s of a recovery is never announced as working again', async () => {
    const p = await renderIn('normal', <DegradationBanner />);
    const polite = screen.getByRole('status');
    p.set('reviews', 'down');
    await act(() => p.read('reviews'));
    expect(polite).toHaveTextContent("Reviews can't be shown right now.");
    p.set('reviews', 'up');
    act(() => p.client.breaker('reviews').reset());
    await act(() => p.advance(3_000));
    p.set('reviews', 'down');
    await act(() => p.read('reviews'));
    await act(() => p.advance(10_000));
    expect(polite).toHaveTextContent("Reviews can't be shown right now.");
    expect(polite).not.toHaveTextContent(/Working again/);
  });

  test('the announcer with the highest priority speaks; when one unmounts another takes over, saying nothing twice', async () => {
    const p = await renderIn('normal', <Page />);
    const regions = () => p.view.container.querySelectorAll('[data-brownout-announcer]');
    expect(regions()).toHaveLength(1);
    p.set('reviews', 'down');
    await act(() => p.read('reviews'));
    expect(screen.getByRole('status')).toHaveTextContent("Reviews can't be shown right now.");
    act(() => showBanner(false)); // e.g. a maintenance screen replaced the page and its banner
    expect(regions()).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent("Reviews can't be shown right now.");
    p.set('auth', 'down');
    await act(() => p.read('auth'));
    await act(() => p.advance(2_000)); // never within 2 s of the last announcement: it would cut it off
    expect(screen.getByRole('alert')).toHaveTextContent("Auth can't be used right now.");
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
