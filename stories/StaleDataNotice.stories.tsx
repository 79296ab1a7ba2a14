import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { StaleDataNotice } from '../src/ui/index.js';

const meta = {
  title: 'Kit/StaleDataNotice',
  component: StaleDataNotice,
  args: { dependency: 'pricing' },
} satisfies Meta<typeof StaleDataNotice>;
export default meta;
type Story = StoryObj<typeof meta>;

const notice = (root: HTMLElement) => root.querySelector('[data-freshness]');

/** Fresh data: nothing to say (unless asked to). */
export const Fresh: Story = {
  parameters: { brownout: { state: 'normal' } },
  args: { showWhenFresh: true },
  play: async ({ canvasElement }) => {
    await expect(notice(canvasElement)).toHaveAttribute('data-freshness', 'fresh');
    await expect(notice(canvasElement)).toHaveTextContent('Pricing updated 1 second ago');
  },
};

/** Served from the cache: how old it is, ticking. */
export const Stale: Story = {
  parameters: { brownout: { state: 'cached' } },
  play: async ({ canvasElement }) => {
    await expect(notice(canvasElement)).toHaveTextContent(
      'Pricing may be out of date: showing what was saved 14 minutes ago',
    );
  },
};

/** Older than the dependency's maxStaleMs: the values are no longer shown. */
export const Expired: Story = {
  parameters: { brownout: { state: 'expired' } },
  play: async ({ canvasElement }) => {
    await expect(notice(canvasElement)).toHaveAttribute('data-freshness', 'expired');
    await expect(notice(canvasElement)).toHaveTextContent('the saved copy is too old to show');
  },
};
