import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { Degradable, MaintenanceScreen } from '../src/ui/index.js';

const meta = {
  title: 'Kit/MaintenanceScreen',
  component: MaintenanceScreen,
  args: { children: <p>The shop, working.</p> },
} satisfies Meta<typeof MaintenanceScreen>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Auth (critical, fails closed) is down: a friendly page with a support code, focus on its heading. */
export const Down: Story = {
  parameters: { brownout: { state: 'maintenance' } },
  play: async ({ canvasElement }) => {
    const heading = within(canvasElement).getByRole('heading', {
      name: 'Sorry, there is a problem with the service',
    });
    await expect(heading).toHaveFocus();
    await expect(canvasElement.querySelector('code')?.textContent).toMatch(/^[0-9a-f]{32}$/);
  },
};

/** The status page says when: back at 12:44. */
export const BackAt: Story = {
  parameters: { brownout: { state: 'maintenance' } },
  args: { backAt: Date.UTC(2026, 10, 28, 12, 44) },
  play: async ({ canvasElement }) => {
    await expect(canvasElement).toHaveTextContent('You should be able to use it again in 30 minutes.');
  },
};

/** Not in maintenance: the app. */
export const Up: Story = {
  parameters: { brownout: { state: 'cached' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('The shop, working.')).toBeVisible();
  },
};

/** Degradable: recommendations step aside while their dependency is down. */
export const OptionalPartDown: Story = {
  parameters: { brownout: { state: 'partial' } },
  render: () => (
    <Degradable dependency="reviews" placeholder={<p>Reviews are unavailable right now.</p>}>
      <p>★★★★☆ 12 reviews</p>
    </Degradable>
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Reviews are unavailable right now.')).toBeVisible();
  },
};
