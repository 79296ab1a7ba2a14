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
    await expect(banner).toHaveAccessibleName('Your changes will be sent later');
    await expect(banner).toHaveTextContent('Retrying in 20 s');
  },
};

/** Pricing is down: prices come from the cache, with their age, and a retry countdown. */
export const Cached: Story = {
  parameters: { brownout: { state: 'cached' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region', {
      name: 'Showing saved data from 14 minutes ago',
    });
    await expect(banner).toHaveAttribute('data-level', 'cached');
    await expect(within(banner).getByRole('button', { name: 'Retry now' })).toBeVisible();
    await expect(banner).toHaveTextContent('Retrying in 12 s');
  },
};

/** The device is offline: told as the user's connection, with the saved data's age; no service blamed. */
export const Offline: Story = {
  parameters: { brownout: { state: 'offline' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region', { name: "You're offline" });
    await expect(banner).toHaveTextContent('Pricing may be out of date. Saved 14 minutes ago.');
    await expect(banner).toHaveTextContent("Your changes will be sent when you're back online.");
    await expect(banner).not.toHaveTextContent(/unavailable|not responding/);
  },
};

/** Pricing, orders and reviews down at once: every affected part is told, most severe first. */
export const SeveralOutages: Story = {
  parameters: { brownout: { state: 'several' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region', {
      name: 'Showing saved data from 14 minutes ago',
    });
    const lines = [...banner.querySelectorAll('li')].map((li) => li.textContent);
    await expect(lines).toEqual([
      'Pricing may be out of date.',
      'Your changes are saved on this device and will be sent later.',
      "Reviews can't be shown right now.",
    ]);
  },
};

/** A read has waited past `slowMs` (half of `headersMs`): the user is told before any timeout. */
export const Slow: Story = {
  parameters: { brownout: { state: 'slow' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region', { name: 'Taking longer than usual…' });
    await expect(banner).toHaveTextContent('Loading Pricing is taking longer than usual…');
  },
};

/** A 429 with `Retry-After: 30`: the service answered and asked us to wait; "Retry now" is held. */
export const RateLimited: Story = {
  parameters: { brownout: { state: 'busy' } },
  play: async ({ canvasElement }) => {
    const banner = within(canvasElement).getByRole('region');
    await expect(banner).toHaveTextContent('The service for Pricing is busy and asked us to wait.');
    await expect(within(banner).getByRole('button', { name: 'Retry now' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
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
      headline: { cached: 'Gespeicherte Daten, Stand {age}' },
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
    const banner = within(canvasElement).getByRole('region', {
      name: 'Gespeicherte Daten, Stand vor 14 Minuten',
    });
    await expect(banner).toHaveTextContent('Preise: möglicherweise nicht aktuell.');
    await expect(banner).toHaveTextContent('Neuer Versuch in 12 s');
  },
};
