import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { QueuedWritesIndicator } from '../src/ui/index.js';
import { itemOf } from './support/itemOf.js';

const describe = itemOf;
const meta = {
  title: 'Kit/QueuedWritesIndicator',
  component: QueuedWritesIndicator,
  args: { describe, defaultOpen: true },
} satisfies Meta<typeof QueuedWritesIndicator>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Three writes wait for orders; opening the list with the keyboard. */
export const Queued: Story = {
  parameters: { brownout: { state: 'queued' } },
  args: { defaultOpen: false },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const summary = canvas.getByText('3 changes waiting to be sent');
    summary.focus();
    await userEvent.keyboard('{Enter}');
    await expect(canvas.getAllByRole('listitem')).toHaveLength(3);
  },
};

/** One write is being sent now, the next waits its turn. */
export const Sending: Story = {
  parameters: { brownout: { state: 'sending' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Sending…')).toBeVisible();
  },
};

/** The service refused the writes (400): the user retries or discards them. */
export const Failed: Story = {
  parameters: { brownout: { state: 'failed' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('2 changes could not be sent')).toBeVisible();
    await expect(canvas.getAllByRole('button', { name: /^Retry: / })).toHaveLength(2);
  },
};

/**
 * The service asked for sign-in (401) when the writes were sent: they wait, and the user is told so outside
 * the list, with "Sign in" (the app's `onSignIn`) and "Send now" (for a sign-in made elsewhere).
 */
export const NeedsSignIn: Story = {
  parameters: { brownout: { state: 'needs-auth' } },
  args: { defaultOpen: false, onSignIn: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('Sign in again to send your 2 saved changes')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Sign in: 2 saved changes' }));
    await expect(args.onSignIn).toHaveBeenCalledOnce();
    await expect(canvas.getByRole('button', { name: 'Send now: 2 saved changes' })).toBeVisible();
  },
};

/**
 * Someone else changed the order since the change was made (412 to its `If-Match`): the service's own words,
 * and "Keep mine" / "Use theirs", each asked first.
 */
export const Conflict: Story = {
  parameters: { brownout: { state: 'conflict' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('Changed by someone else')).toBeVisible();
    await expect(
      canvas.getByText('Someone else changed this order. The order was updated at 14:02 by another device.'),
    ).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Keep mine: Add 1 × mug-blue to cart' }));
    const group = canvas.getByRole('group', {
      name: 'Replace the newer version on the server with your change?',
    });
    await expect(
      within(group).getByRole('button', { name: 'Cancel: Add 1 × mug-blue to cart' }),
    ).toHaveFocus();
  },
};

/** IndexedDB is unavailable: the writes live in this tab only, and the user is told. */
export const MemoryOnly: Story = {
  parameters: { brownout: { state: 'queued', persistence: 'memory' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/kept only in this tab/)).toBeVisible();
  },
};
