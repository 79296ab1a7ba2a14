import { act, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { BrownoutProvider, describeTime, RelativeTime, StaleDataNotice } from '../../src/entries/react.js';
import { createVirtualClock } from '../../src/index.js';
import { createPreview, reach } from '../../stories/support/preview.js';
import { renderIn } from './support.js';

const MIN = 60_000;

let parentRenders = 0;
function Parent() {
  parentRenders++;
  return (
    <ul>
      {Array.from({ length: 50 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
        <li key={i}>
          <StaleDataNotice dependency="pricing" />
        </li>
      ))}
    </ul>
  );
}

describe('describeTime', () => {
  test('words by unit, rounding the past down, and when they next change', () => {
    expect(describeTime(0, 14.5 * MIN, 'en')).toEqual({ text: '14 minutes ago', changesInMs: 30_000 });
    expect(describeTime(0, 59_999, 'en')).toEqual({ text: '59 seconds ago', changesInMs: 1 });
    expect(describeTime(0, 60_000, 'en')).toEqual({ text: '1 minute ago', changesInMs: 60_000 });
    expect(describeTime(0, 0, 'en').text).toBe('1 second ago'); // never "now" for the past
    expect(describeTime(0, 3 * 3_600_000, 'en').text).toBe('3 hours ago');
    expect(describeTime(0, 2 * 86_400_000, 'en').text).toBe('2 days ago');
    expect(describeTime(90_000, 0, 'en')).toEqual({ text: 'in 1 minute', changesInMs: 30_001 });
    expect(describeTime(0, 14 * MIN, 'fr').text).toBe('il y a 14 minutes');
  });
});

describe('StaleDataNotice', () => {
  test('nothing while fresh; "showing what was saved 14 minutes ago" from the cache', async () => {
    const p = await renderIn('normal', <StaleDataNotice dependency="pricing" />);
    expect(p.view.container).toBeEmptyDOMElement();
    await act(() => p.advance(14 * MIN));
    p.set('pricing', 'down');
    await act(() => p.read('pricing'));
    const notice = p.view.container.querySelector('[data-freshness]');
    expect(notice).toHaveAttribute('data-freshness', 'stale');
    expect(notice).toHaveTextContent('Pricing may be out of date: showing what was saved 14 minutes ago');
    expect(notice?.querySelector('time')).toHaveAttribute('dateTime', '2026-11-28T12:14:00.000Z');
  });

  test('the age keeps ticking, and past maxStaleMs it says the values are too old', async () => {
    const p = await renderIn(
      'cached',
      <StaleDataNotice dependency="pricing" freshnessKey="GET https://shop.test/pricing/items" />,
    );
    await act(() => p.advance(45 * MIN));
    expect(screen.getByText(/59 minutes ago/)).toBeInTheDocument();
    await act(() => p.advance(MIN));
    const notice = p.view.container.querySelector('[data-freshness]');
    expect(notice).toHaveAttribute('data-freshness', 'expired');
    expect(notice).toHaveTextContent(
      "Pricing can't be shown right now, and the saved copy is too old to show",
    );
  });

  test('showWhenFresh says how old fresh data is; a key with no value renders nothing', async () => {
    const p = await renderIn(
      'normal',
      <>
        <StaleDataNotice dependency="pricing" showWhenFresh />
        <StaleDataNotice dependency="pricing" freshnessKey="nope" showWhenFresh />
      </>,
    );
    expect(p.view.container.querySelectorAll('[data-freshness]')).toHaveLength(1);
    expect(p.view.container).toHaveTextContent('Pricing updated 1 second ago');
    await act(() => p.advance(2 * MIN));
    expect(p.view.container).toHaveTextContent('Pricing updated 2 minutes ago');
    await act(() => p.read('pricing'));
    expect(p.view.container).toHaveTextContent('Pricing updated 1 second ago');
  });

  test('ticking ages of 50 notices for 60 s re-render none of their parents', async () => {
    const p = createPreview();
    await reach(p, 'cached');
    parentRenders = 0;
    let timeCommits = 0;
    render(
      <BrownoutProvider client={p.client}>
        <Profiler
          id="notices"
          onRender={(_id, phase) => {
            if (phase === 'update') timeCommits++;
          }}
        >
          <Parent />
        </Profiler>
      </BrownoutProvider>,
    );
    expect(screen.getAllByText(/14 minutes ago/)).toHaveLength(50);
    for (let s = 0; s < 60; s++) await act(() => p.advance(1_000));
    expect(screen.getAllByText(/15 minutes ago/)).toHaveLength(50);
    expect(timeCommits).toBeGreaterThan(0); // the <time>s did update…
    expect(parentRenders).toBe(1); // …and their parent never rendered again
  });

  test('RelativeTime leaves no timer behind when unmounted', async () => {
    const clock = createVirtualClock(0);
    const p = createPreview();
    const { unmount } = render(
      <BrownoutProvider client={p.client}>
        <RelativeTime at={p.clock.now()} />
      </BrownoutProvider>,
    );
    const before = p.clock.pending;
    unmount();
    expect(p.clock.pending).toBe(before - 1);
    expect(clock.pending).toBe(0);
  });
});
