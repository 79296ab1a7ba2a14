import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueuedWritesIndicator } from '../../src/entries/react.js';
import { renderIn } from './support.js';

describe('QueuedWritesIndicator', () => {
  test('nothing with an empty outbox', async () => {
    const { view } = await renderIn('normal', <QueuedWritesIndicator />);
    expect(view.container).toBeEmptyDOMElement();
  });

  test('"3 changes waiting to be sent", a list with what, when and status; it clears when they are sent', async () => {
    const p = await renderIn(
      'queued',
      <QueuedWritesIndicator dependency="orders" describe={(e) => `Order ${e.seq}`} />,
    );
    const summary = screen.getByText('3 changes waiting to be sent');
    const root = p.view.container.querySelector<HTMLElement>('.brownout-queue')!;
    expect(root).toHaveAttribute('data-pending', '3');
    expect(root.querySelector('details')).not.toHaveAttribute('open');
    await userEvent.click(summary);
    expect(root.querySelector('details')).toHaveAttribute('open');
    const items = within(root).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-status'))).toEqual(['queued', 'queued', 'queued']);
    expect(items[0]).toHaveTextContent(/Order \d+made 2 minutes agoWaiting/);
    expect(within(root).queryByRole('button')).toBeNull();
    expect(within(root).queryByText(/kept only in this tab/)).toBeNull();
    p.set('orders', 'up');
    act(() => p.client.breaker('orders').reset());
    await act(() => p.advance(0));
    expect(p.view.container).toBeEmptyDOMElement();
    expect([...p.effects.values()]).toEqual([1, 1, 1]); // each write took effect once
  });

  test('failed and conflict entries get Retry and Discard; discard removes, retry sends again', async () => {
    const p = await renderIn('failed', <QueuedWritesIndicator defaultOpen />);
    expect(screen.getByText('2 changes could not be sent')).toBeInTheDocument();
    expect(screen.getAllByText('Not sent')).toHaveLength(2);
    // In the user's words, never "POST /orders"; with why it failed and what to do.
    expect(screen.getAllByText('A change to Orders')).toHaveLength(2);
    expect(screen.getAllByText('It was not accepted. You can try again or discard it.')).toHaveLength(2);
    const discards = screen.getAllByRole('button', { name: 'Discard: A change to Orders' });
    // Discard asks first, with "Keep it" focused; keeping it changes nothing.
    await act(() => userEvent.click(discards[0]!));
    expect(screen.getByRole('button', { name: 'Keep it' })).toHaveFocus();
    await act(() => userEvent.click(screen.getByRole('button', { name: 'Keep it' })));
    expect(screen.getByText('2 changes could not be sent')).toBeInTheDocument();
    await act(() =>
      userEvent.click(screen.getAllByRole('button', { name: 'Discard: A change to Orders' })[0]!),
    );
    const group = screen.getByRole('group', { name: 'Discard this change for good?' });
    await act(() =>
      userEvent.click(within(group).getByRole('button', { name: 'Discard: A change to Orders' })),
    );
    expect(screen.getByText('1 change could not be sent')).toBeInTheDocument();
    // Focus went to the summary, which says what is left, not to the page's body.
    expect(document.activeElement).toHaveClass('brownout-queue__summary');
    p.set('orders', 'up');
    await act(() => userEvent.click(screen.getByRole('button', { name: 'Retry: A change to Orders' })));
    await act(() => p.advance(1_000));
    expect(p.view.container).toBeEmptyDOMElement();
  });

  test('conflict says so; memory-only persistence is a visible warning', async () => {
    const conflict = await renderIn('conflict', <QueuedWritesIndicator defaultOpen />);
    expect(screen.getAllByText('Changed by someone else')).toHaveLength(2);
    conflict.view.unmount();
    await renderIn('queued', <QueuedWritesIndicator />, { persistence: 'memory' });
    expect(screen.getByText('These changes are kept only in this tab: closing it loses them.')).toBeVisible();
  });

  test('sending shows the entry in flight', async () => {
    await renderIn('sending', <QueuedWritesIndicator defaultOpen />);
    expect(screen.getByText('2 changes waiting to be sent')).toBeInTheDocument();
    expect(screen.getByText('Sending…')).toBeInTheDocument();
  });
});
