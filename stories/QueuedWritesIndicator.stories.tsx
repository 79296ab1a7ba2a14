import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
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

/** Someone else changed the same thing (422). */
export const Conflict: Story = {
  parameters: { brownout: { state: 'conflict' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByText('Changed by someone else')).toHaveLength(2);
  },
};

/** IndexedDB is unavailable: the writes live in this tab only, and the user is told. */
export const MemoryOnly: Story = {
  parameters: { brownout: { state: 'queued', persistence: 'memory' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/kept only in this tab/)).toBeVisible();
  },
};
