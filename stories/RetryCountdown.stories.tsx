import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { RetryCountdown } from '../src/ui/index.js';

const meta = {
  title: 'Kit/RetryCountdown',
  component: RetryCountdown,
  args: { dependency: 'pricing', onRetry: () => {} },
} satisfies Meta<typeof RetryCountdown>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Pricing's breaker is open: the next try in 12 s, or now. */
export const Waiting: Story = {
  parameters: { brownout: { state: 'cached' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvasElement).toHaveTextContent('Retrying in 12 s');
    await userEvent.click(canvas.getByRole('button', { name: 'Retry now' }));
    // One probe was let through: the breaker is half-open, there is nothing left to count down.
    await expect(canvasElement).not.toHaveTextContent('Retrying in 12 s');
  },
};

/** The open period is over and nothing has been sent yet: no countdown, only the user's "Retry now". */
export const Due: Story = {
  parameters: { brownout: { state: 'expired' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Retry now' })).toBeVisible();
    await expect(canvasElement).not.toHaveTextContent('Trying again…');
  },
};
