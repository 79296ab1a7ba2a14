import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DegradationBanner, RetryCountdown } from '../../src/entries/react.js';
import { renderIn } from './support.js';

describe('RetryCountdown', () => {
  test('nothing while the dependency is not waiting', async () => {
    const { view } = await renderIn('normal', <RetryCountdown dependency="pricing" onRetry={() => {}} />);
    expect(view.container).toBeEmptyDOMElement();
  });

  test('"Retrying in 12 s" ticks down each second on the client clock; at zero with nothing sent, no false "Trying again…"', async () => {
    const p = await renderIn('cached', <RetryCountdown dependency="pricing" />);
    expect(p.view.container).toHaveTextContent('Retrying in 12 s');
    expect(screen.queryByRole('button')).toBeNull(); // no onRetry, no button
    await act(() => p.advance(999));
    expect(p.view.container).toHaveTextContent('Retrying in 12 s');
    await act(() => p.advance(1));
    expect(p.view.container).toHaveTextContent('Retrying in 11 s');
    await act(() => p.advance(11_000));
    // The wait is over and nothing here sends the probe: saying "Trying again…" would not be true.
    expect(p.view.container).toBeEmptyDOMElement();
  });

  test('Retry now lets exactly one probe through at once and calls onRetry; a second press sends nothing', async () => {
    let read = (): Promise<void> => Promise.resolve();
    const onRetry = vi.fn(() => read());
    const p = await renderIn('cached', <RetryCountdown dependency="pricing" onRetry={onRetry} />);
    read = () => p.read('pricing');
    p.set('pricing', 'hang');
    const before = p.calls.pricing;
    await userEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(p.calls.pricing).toBe(before + 1);
    expect(p.client.breaker('pricing').state.state).toBe('half-open');
    expect(p.view.container).toHaveTextContent('Trying again…'); // true now: the probe is out
    expect(p.view.container.firstChild).toHaveFocus(); // the button went away; focus did not drop to body
    expect(p.view.container.firstChild).toHaveAttribute('data-state', 'probing');
    // The probe is in flight: another read is refused by the breaker, not sent.
    await p.read('pricing');
    expect(p.calls.pricing).toBe(before + 1);
  });

  test('a Retry-After hold: "Retry now" is aria-disabled with the reason, and sends nothing', async () => {
    const onRetry = vi.fn();
    const p = await renderIn('cached', <RetryCountdown dependency="pricing" onRetry={onRetry} />);
    p.client.breaker('pricing').hold(p.clock.now() + 30_000);
    await act(() => p.read('pricing')); // refused while held: the store hears of it
    const button = screen.getByRole('button', { name: 'Retry now' });
    expect(p.view.container).toHaveTextContent('Retrying in 30 s');
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveAccessibleDescription('The service asked us to wait before trying again.');
    await userEvent.click(button);
    expect(onRetry).not.toHaveBeenCalled();
    expect(p.client.breaker('pricing').state.state).toBe('open');
  });

  test('an isolated breaker has no countdown', async () => {
    const p = await renderIn('normal', <RetryCountdown dependency="pricing" onRetry={() => {}} />);
    act(() => p.client.breaker('pricing').isolate());
    expect(p.view.container).toBeEmptyDOMElement();
  });
});

test('a hidden tab does no ticking work; visible again, the countdown and the age catch up at once', async () => {
  const p = await renderIn('cached', <DegradationBanner onRetry={() => {}} />);
  const ticking = p.clock.pending;
  act(() => p.environment.set({ visible: false }));
  expect(p.clock.pending).toBeLessThanOrEqual(ticking - 2); // the countdown's and the age's timers
  await act(() => p.advance(0));
  p.clock.advance(5_000); // time passes while nobody looks (no timer of the kit fires)
  act(() => p.environment.set({ visible: true }));
  const banner = screen.getByRole('region');
  expect(banner).toHaveTextContent('Retrying in 7 s');
  expect(banner).toHaveTextContent('Showing saved data from 14 minutes ago');
});
