import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, within } from 'storybook/test';
import { BrownoutProvider } from '../src/react/index.js';
import {
  BrownoutUIProvider,
  DegradationBanner,
  QueuedWritesIndicator,
  ReadOnlyGuard,
  StaleDataNotice,
} from '../src/ui/index.js';
import { itemOf } from './support/itemOf.js';
import { createPreview, type Preview, type PreviewState, reach } from './support/preview.js';

const STATES = ['partial', 'minimal', 'cached', 'maintenance', 'failed'] as const satisfies PreviewState[];
type Previews = Record<(typeof STATES)[number], Preview>;

function With({ preview, children }: { preview: Preview; children: ReactNode }) {
  return (
    <BrownoutProvider client={preview.client}>
      <BrownoutUIProvider locale="en">{children}</BrownoutUIProvider>
    </BrownoutProvider>
  );
}

function Gallery({ previews }: { previews: Previews }) {
  return (
    <div style={{ display: 'grid', gap: '0.75rem', maxWidth: '52rem' }}>
      {(['partial', 'minimal', 'cached', 'maintenance'] as const).map((s) => (
        <With key={s} preview={previews[s]}>
          <DegradationBanner announce={false} onRetry={() => {}} />
        </With>
      ))}
      <With preview={previews.cached}>
        <StaleDataNotice dependency="pricing" />
      </With>
      <With preview={previews.minimal}>
        <ReadOnlyGuard dependency="orders">
          <button type="button" className="brownout-button">
            Pay now
          </button>
        </ReadOnlyGuard>
      </With>
      <With preview={previews.failed}>
        <QueuedWritesIndicator defaultOpen describe={itemOf} />
      </With>
    </div>
  );
}

const meta = {
  title: 'Kit/Gallery',
  component: Gallery,
  // One preview client per state, each driven there with real calls on the frozen clock.
  loaders: [
    async () => {
      const previews = {} as Previews;
      for (const s of STATES) {
        previews[s] = createPreview();
        await reach(previews[s], s);
      }
      return { previews };
    },
  ],
} satisfies Meta<typeof Gallery>;
export default meta;
type Story = StoryObj<typeof meta>;

/** The kit at a glance: the banner at each level, a stale value, a read-only control, writes that failed. */
export const AtAGlance: Story = {
  args: { previews: {} as Previews },
  render: (_args, { loaded }) => <Gallery previews={loaded.previews as Previews} />,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByRole('region')).toHaveLength(4);
  },
};
