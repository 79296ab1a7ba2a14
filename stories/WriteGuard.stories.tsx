import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { ReadOnlyGuard, WriteGuard } from '../src/ui/index.js';

const meta = {
  title: 'Kit/WriteGuard',
  component: WriteGuard,
  args: {
    dependency: 'orders',
    children: (
      <button type="button" className="brownout-button">
        Add to cart
      </button>
    ),
  },
} satisfies Meta<typeof WriteGuard>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Orders is up: the button is untouched. */
export const Up: Story = {
  parameters: { brownout: { state: 'normal' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button')).toHaveAttribute('data-write-mode', 'send');
  },
};

/** Orders is down and queues writes: the button works, and says the change will be sent later. */
export const Queues: Story = {
  parameters: { brownout: { state: 'minimal' } },
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole('button', { name: 'Add to cart' });
    await expect(button).toHaveAttribute('data-write-mode', 'queue');
    await expect(button).toHaveAccessibleDescription(/will be saved and sent later/);
  },
};

/** Read-only: focusable, aria-disabled, the reason read with it. */
export const ReadOnly: Story = {
  parameters: { brownout: { state: 'minimal' } },
  render: (args) => <ReadOnlyGuard dependency={args.dependency}>{args.children}</ReadOnlyGuard>,
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole('button', { name: 'Add to cart' });
    await userEvent.tab();
    await expect(button).toHaveFocus();
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).toHaveAccessibleDescription("Orders can't be changed right now.");
  },
};
