import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { BrownoutUIProvider, DegradationBanner } from '../src/ui/index.js';

const meta = {
  title: 'Kit/DegradationBanner',
  component: DegradationBanner,
  args: { onRetry: () => {} },
} satisfies Meta<typeof DegradationBanner>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Everything works: no banner (the live region is there, empty). */
export const Normal: Story = {
  parameters: { brownout: { state: 'normal' } },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.brownout-banner')).toBeNull();
  },
};

/** An optional dependency (reviews) is down: the rest of the app works. */
export const Partial: Story = {
  parameters: { brownout: { state: 'partial' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region', {
      name: 'Some parts of this page are unavailable for now',
    });
    await expect(banner).toHaveAttribute('data-level', 'partial');
    await expect(banner).toHaveTextContent("Reviews can't be shown right now.");
  },
};

/** Orders is down and writes queue: browse now, changes are sent later. */
export const Minimal: Story = {
  parameters: { brownout: { state: 'minimal' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region');
    await expect(banner).toHaveAccessibleName('You can browse, but changes will be sent when Orders is back');
    await expect(banner).toHaveTextContent('Retrying in 20 s');
  },
};

/** Pricing is down: prices come from the cache, with their age, and a retry countdown. */
export const Cached: Story = {
  parameters: { brownout: { state: 'cached' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region', { name: 'Showing data as of 14 minutes ago' });
    await expect(banner).toHaveAttribute('data-level', 'cached');
    await expect(within(banner).getByRole('button', { name: 'Retry now' })).toBeVisible();
    await expect(banner).toHaveTextContent('Retrying in 12 s');
  },
};

/** A critical dependency (auth) is down and fails closed. */
export const Maintenance: Story = {
  parameters: { brownout: { state: 'maintenance' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region', {
      name: 'Sorry, there is a problem with the service',
    });
    await expect(banner).toHaveAttribute('data-level', 'maintenance');
  },
};

/** Texts replaced and another locale: German ages through Intl.RelativeTimeFormat. */
export const German: Story = {
  parameters: { brownout: { state: 'cached' } },
  args: {
    messages: {
      headline: { cached: 'Gespeicherte Daten von {age}' },
      line: { cached: '{dependencies}: möglicherweise nicht aktuell.' },
      retryingIn: 'Neuer Versuch in {seconds} s',
      retryNow: 'Jetzt versuchen',
    },
  },
  decorators: [
    (Story) => (
      <div lang="de">
        <BrownoutUIProvider locale="de" labels={{ pricing: 'Preise' }}>
          <Story />
        </BrownoutUIProvider>
      </div>
    ),
  ],
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region', { name: 'Daten vom Stand vor 14 Minuten' });
    await expect(banner).toHaveTextContent('Preise antwortet nicht.');
    await expect(banner).toHaveTextContent('Neuer Versuch in 12 s');
  },
};
