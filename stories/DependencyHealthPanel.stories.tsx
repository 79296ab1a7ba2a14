import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { DependencyHealthPanel } from '../src/ui/index.js';

const meta = {
  title: 'Kit/DependencyHealthPanel',
  component: DependencyHealthPanel,
} satisfies Meta<typeof DependencyHealthPanel>;
export default meta;
type Story = StoryObj<typeof meta>;

/** All healthy. */
export const Healthy: Story = {
  parameters: { brownout: { state: 'normal' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('table', { name: 'Dependency health' })).toBeVisible();
    await expect(canvasElement).toHaveTextContent('No changes yet');
  },
};

/** Orders down with a queued write; the operator sees breaker, rates, the last problem and transitions. */
export const OrdersDown: Story = {
  parameters: { brownout: { state: 'minimal' } },
  play: async ({ canvasElement }) => {
    const row = within(canvasElement)
      .getByRole('rowheader', { name: /Orders/ })
      .closest('tr');
    await expect(row).toHaveAttribute('data-breaker', 'open');
    await expect(row).toHaveTextContent('Service Unavailable · 503');
  },
};

/** Several down at once. */
export const Conflicts: Story = {
  parameters: { brownout: { state: 'conflict' } },
};
