import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueuedWritesIndicator } from '../../src/entries/react.js';
import { type Outbox, type OutboxEntry, type OutboxSummary, statusTitle } from '../../src/index.js';
import { CHANGED_PROBLEM, type Preview } from '../../stories/support/preview.js';
import { renderIn } from './support.js';

/** The preview's outbox (orders queues writes, so there is one). */
const outboxOf = (p: Preview): Outbox => p.client.outbox!;

/**
 * Makes the outbox report `entries` (list and summary spied), and tells the store: what the kit renders
 * for a given set of entries, whatever the replay would have made of them.
 */
function report(p: Preview, entries: OutboxEntry[]): void {
  const outbox = outboxOf(p);
  vi.spyOn(outbox, 'list').mockImplementation((filter = {}) =>
    entries.filter((e) => filter.dependency === undefined || e.dependency === filter.dependency),
  );
  vi.spyOn(outbox, 'summary').mockImplementation((dependency): OutboxSummary => {
    const of = (status: OutboxEntry['status']) =>
      entries.filter((e) => e.dependency === dependency && e.status === status).length;
    return {
      queued: of('queued'),
      sending: of('sending'),
      needsAuth: of('needs-auth'),
      failed: of('failed'),
      conflict: of('conflict'),
    };
  });
  act(() => outbox.events.emit('changed', { persistence: outbox.persistence }));
}

let seq = 0;
const entry = (status: OutboxEntry['status'], more: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id: `write-${++seq}`,
  dependency: 'orders',
  method: 'POST',
  url: 'https://shop.test/orders/',
  body: { kind: 'text', text: '{"sku":"mug-blue","qty":1}' },
  headers: [],
  idempotencyKey: `key-${seq}`,
  createdAt: Date.UTC(2026, 10, 28, 12, 0, 0),
  seq,
  version: 1,
  attempts: 1,
  status,
  nextAttemptAt: 0,
  ...more,
});

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
    expect(items[0]).toHaveTextContent(/^Order \d+ made 2 minutes ago Waiting$/);
    expect(within(root).queryByRole('button')).toBeNull();
    expect(within(root).queryByText(/kept only in this tab/)).toBeNull();
    p.set('orders', 'up');
    act(() => p.client.breaker('orders').reset());
    await act(() => p.advance(0));
    expect(p.view.container).toBeEmptyDOMElement();
    expect([...p.effects.values()]).toEqual([1, 1, 1]); // each write took effect once
  });

  test('failed entries get Retry and Discard; discard removes, retry sends again', async () => {
    const p = await renderIn('failed', <QueuedWritesIndicator defaultOpen />);
    expect(screen.getByText('2 changes could not be sent')).toBeInTheDocument();
    expect(screen.getAllByText('Not sent')).toHaveLength(2);
    // In the user's words, never "POST /orders"; with why it failed and what to do.
    expect(screen.getAllByText('A change to Orders')).toHaveLength(2);
    expect(screen.getAllByText('It was not accepted. You can try again or discard it.')).toHaveLength(2);
    const discards = screen.getAllByRole('button', { name: 'Discard: A change to Orders' });
    // Discard asks first, with "Keep it" focused; keeping it changes nothing, and focus is back on Discard.
    await act(() => userEvent.click(discards[0]!));
    const keep = screen.getByRole('button', { name: 'Keep it: A change to Orders' });
    expect(keep).toHaveFocus();
    await act(() => userEvent.click(keep));
    expect(screen.getByText('2 changes could not be sent')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Discard: A change to Orders' })[0]).toHaveFocus();
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

  test('memory-only persistence is a visible warning', async () => {
    await renderIn('queued', <QueuedWritesIndicator />, { persistence: 'memory' });
    expect(screen.getByText('These changes are kept only in this tab: closing it loses them.')).toBeVisible();
  });

  test('sending shows the entry in flight', async () => {
    await renderIn('sending', <QueuedWritesIndicator defaultOpen />);
    expect(screen.getByText('2 changes waiting to be sent')).toBeInTheDocument();
    expect(screen.getByText('Sending…')).toBeInTheDocument();
  });

  describe('needs sign-in', () => {
    test('"Sign in again to send your 2 saved changes" outside the closed list; Sign in calls onSignIn', async () => {
      const onSignIn = vi.fn();
      const p = await renderIn('needs-auth', <QueuedWritesIndicator onSignIn={onSignIn} />);
      const root = p.view.container.querySelector<HTMLElement>('.brownout-queue')!;
      // Waiting, not failed: no "could not be sent", no ⚠ on the summary.
      expect(screen.getByText('2 changes waiting to be sent')).toBeInTheDocument();
      expect(screen.queryByText(/could not be sent/)).toBeNull();
      expect(root).toHaveAttribute('data-pending', '2');
      expect(root).toHaveAttribute('data-attention', '0');
      expect(Number(root.getAttribute('data-needs-auth'))).toBeGreaterThan(0);
      const text = screen.getByText('Sign in again to send your 2 saved changes');
      expect(text.closest('details')).toBeNull();
      expect(root.querySelector('details')).not.toHaveAttribute('open');
      await act(() => userEvent.click(screen.getByRole('button', { name: 'Sign in: 2 saved changes' })));
      expect(onSignIn).toHaveBeenCalledOnce();
      expect(document.activeElement).toHaveClass('brownout-queue__summary');
      await userEvent.click(screen.getByText('2 changes waiting to be sent'));
      expect(within(root).getAllByRole('listitem')[0]).toHaveAttribute('data-status', 'needs-auth');
      expect(screen.getByText('Waiting for sign-in')).toBeInTheDocument();
    });

    test('Send now resumes the shown dependency: signed in elsewhere, each write is sent once', async () => {
      const p = await renderIn('needs-auth', <QueuedWritesIndicator dependency="orders" />);
      // Without onSignIn, no Sign in button: the app signs in some other way.
      expect(screen.queryByRole('button', { name: /^Sign in/ })).toBeNull();
      const resume = vi.spyOn(outboxOf(p), 'resume');
      p.set('orders', 'up');
      await act(() => userEvent.click(screen.getByRole('button', { name: 'Send now: 2 saved changes' })));
      expect(resume).toHaveBeenCalledWith('orders');
      await act(() => p.advance(1_000));
      expect(p.view.container).toBeEmptyDOMElement();
      expect([...p.effects.values()]).toEqual([1, 1]);
    });

    test('one write: the buttons name it; the sentence is singular', async () => {
      const p = await renderIn('normal', <QueuedWritesIndicator describe={() => 'Add 1 × mug to cart'} />);
      const resume = vi.spyOn(outboxOf(p), 'resume').mockResolvedValue();
      report(p, [entry('needs-auth')]);
      expect(screen.getByText('Sign in again to send your saved change')).toBeVisible();
      await act(() => userEvent.click(screen.getByRole('button', { name: 'Send now: Add 1 × mug to cart' })));
      // All dependencies shown: all are resumed. The message may go: focus is on the summary.
      expect(resume).toHaveBeenCalledWith(undefined);
      expect(document.activeElement).toHaveClass('brownout-queue__summary');
    });
  });

  describe('conflict', () => {
    test("the service's title and detail, as text; Keep mine asks first, Cancel keeps it", async () => {
      const p = await renderIn('conflict', <QueuedWritesIndicator defaultOpen describe={() => 'Order'} />);
      const [row] = screen.getAllByRole('listitem');
      expect(row).toHaveAttribute('data-status', 'conflict');
      expect(within(row!).getByText('Changed by someone else')).toBeInTheDocument();
      expect(
        within(row!).getByText(`${CHANGED_PROBLEM.title}. ${CHANGED_PROBLEM.detail}`),
      ).toBeInTheDocument();
      // Retry would meet the same precondition: a conflict is resolved, not retried.
      expect(within(row!).queryByRole('button', { name: /^(Retry|Discard)/ })).toBeNull();
      const keepMine = vi.spyOn(outboxOf(p), 'keepMine');
      await act(() => userEvent.click(screen.getByRole('button', { name: 'Keep mine: Order' })));
      const group = screen.getByRole('group', {
        name: 'Replace the newer version on the server with your change?',
      });
      expect(within(group).getByRole('button', { name: 'Cancel: Order' })).toHaveFocus();
      // The buttons beside the question are its answers only: the other choice waits until it is answered.
      expect(screen.queryByRole('button', { name: 'Use theirs: Order' })).toBeNull();
      await act(() => userEvent.click(within(group).getByRole('button', { name: 'Cancel: Order' })));
      expect(screen.queryByRole('group', { name: /^Replace/ })).toBeNull();
      expect(screen.getByRole('button', { name: 'Use theirs: Order' })).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Keep mine: Order' })).toHaveFocus();
      expect(keepMine).not.toHaveBeenCalled();
      // Escape is a Cancel too.
      await act(() => userEvent.click(screen.getByRole('button', { name: 'Keep mine: Order' })));
      await act(() => userEvent.keyboard('{Escape}'));
      expect(screen.queryByRole('group', { name: /^Replace/ })).toBeNull();
      expect(keepMine).not.toHaveBeenCalled();
      expect(screen.getByText('1 change could not be sent')).toBeInTheDocument();
    });

    test('Keep mine, confirmed, resends it without the precondition: it takes effect once', async () => {
      const p = await renderIn('conflict', <QueuedWritesIndicator defaultOpen describe={() => 'Order'} />);
      const [id] = outboxOf(p)
        .list()
        .map((e) => e.id);
      const keepMine = vi.spyOn(outboxOf(p), 'keepMine');
      await act(() => userEvent.click(screen.getByRole('button', { name: 'Keep mine: Order' })));
      const group = screen.getByRole('group', {
        name: 'Replace the newer version on the server with your change?',
      });
      await act(() => userEvent.click(within(group).getByRole('button', { name: 'Keep mine: Order' })));
      expect(keepMine).toHaveBeenCalledWith(id);
      await act(() => p.advance(1_000));
      expect(p.view.container).toBeEmptyDOMElement();
      expect([...p.effects.values()]).toEqual([1]);
    });

    test('Use theirs, confirmed, drops it: nothing is sent', async () => {
      const p = await renderIn('conflict', <QueuedWritesIndicator defaultOpen describe={() => 'Order'} />);
      const [id] = outboxOf(p)
        .list()
        .map((e) => e.id);
      const acceptTheirs = vi.spyOn(outboxOf(p), 'acceptTheirs');
      await act(() => userEvent.click(screen.getByRole('button', { name: 'Use theirs: Order' })));
      const group = screen.getByRole('group', {
        name: 'Drop your change and use the version on the server?',
      });
      expect(within(group).getByRole('button', { name: 'Cancel: Order' })).toHaveFocus();
      await act(() => userEvent.click(within(group).getByRole('button', { name: 'Use theirs: Order' })));
      expect(acceptTheirs).toHaveBeenCalledWith(id);
      await act(() => p.advance(1_000));
      expect(p.view.container).toBeEmptyDOMElement();
      expect(p.effects.size).toBe(0);
    });

    test("server text is text, never HTML; HTTP's own title is not the service's words", async () => {
      const p = await renderIn('normal', <QueuedWritesIndicator defaultOpen describe={() => 'Order'} />);
      const keepMine = vi.spyOn(outboxOf(p), 'keepMine').mockResolvedValue();
      const acceptTheirs = vi.spyOn(outboxOf(p), 'acceptTheirs').mockResolvedValue();
      const html = entry('conflict', {
        lastProblem: { title: '<img src=x onerror="alert(1)">Changed', status: 412 },
      });
      // No problem body: Brownout names it by its status, which says nothing to a user.
      const bare = entry('conflict', { lastProblem: { title: statusTitle(412), status: 412 } });
      report(p, [html, bare]);
      const root = p.view.container.querySelector<HTMLElement>('.brownout-queue')!;
      expect(root.querySelector('img')).toBeNull();
      expect(screen.getByText('<img src=x onerror="alert(1)">Changed.')).toBeInTheDocument();
      expect(
        screen.getByText('It was changed somewhere else after you made this change.'),
      ).toBeInTheDocument();
      expect(screen.getByText('2 changes could not be sent')).toBeInTheDocument();
      // The confirmations act on their own row's write.
      const [, second] = screen.getAllByRole('listitem');
      await act(() => userEvent.click(within(second!).getByRole('button', { name: 'Keep mine: Order' })));
      await act(() =>
        userEvent.click(
          within(screen.getByRole('group', { name: /^Replace/ })).getByRole('button', {
            name: 'Keep mine: Order',
          }),
        ),
      );
      expect(keepMine).toHaveBeenCalledWith(bare.id);
      const [first] = screen.getAllByRole('listitem');
      await act(() => userEvent.click(within(first!).getByRole('button', { name: 'Use theirs: Order' })));
      await act(() =>
        userEvent.click(
          within(screen.getByRole('group', { name: /^Drop/ })).getByRole('button', {
            name: 'Use theirs: Order',
          }),
        ),
      );
      expect(acceptTheirs).toHaveBeenCalledWith(html.id);
    });
  });
});
