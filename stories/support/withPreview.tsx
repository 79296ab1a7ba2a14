// Storybook glue: every kit story renders against a preview client (stories/support/preview.ts) driven
// into the story's state — or the one picked in the toolbar — on a frozen clock (or a running one, from
// the toolbar), so screenshots are the same on every run.
import type { Decorator, Loader } from '@storybook/react-vite';
import { useEffect } from 'react';
import { BrownoutProvider, BrownoutUIProvider } from '../../src/entries/react.js';
import { createPreview, type Preview, type PreviewState, reach } from './preview.js';

/** Story parameters of the kit's stories. */
export interface BrownoutParameters {
  /** The state the preview client is driven into. @default 'normal' */
  state?: PreviewState;
  persistence?: 'indexeddb' | 'memory';
}

export const STATES: readonly PreviewState[] = [
  'normal',
  'partial',
  'minimal',
  'cached',
  'maintenance',
  'expired',
  'queued',
  'sending',
  'failed',
  'needs-auth',
  'conflict',
];

/** The toolbar: switch the simulated state of the dependencies, and freeze or run the clock. */
export const globalTypes = {
  brownoutState: {
    description: 'Brownout: simulated state of the dependencies',
    toolbar: {
      title: 'State',
      icon: 'lightning',
      items: [{ value: 'story', title: 'As in the story' }, ...STATES.map((s) => ({ value: s, title: s }))],
      dynamicTitle: true,
    },
  },
  brownoutClock: {
    description: 'Brownout: the preview clock',
    toolbar: {
      title: 'Clock',
      icon: 'time',
      items: [
        { value: 'frozen', title: 'Frozen (stable screenshots)' },
        { value: 'running', title: 'Running' },
      ],
      dynamicTitle: true,
    },
  },
};
export const initialGlobals = { brownoutState: 'story', brownoutClock: 'frozen' };

// The story shown before: disposed when the next one loads, so its timers, outbox replays and Web Locks
// do not outlive it (a replay hanging in one story would otherwise hold the orders lock for the next).
let last: Preview | undefined;

export const previewLoader: Loader = async ({ parameters, globals }) => {
  last?.client.dispose();
  last = undefined;
  const own = (parameters.brownout ?? {}) as BrownoutParameters;
  if (!parameters.brownout) return {};
  const picked = globals.brownoutState as string | undefined;
  const state = picked && picked !== 'story' ? (picked as PreviewState) : (own.state ?? 'normal');
  const preview = createPreview(own.persistence ? { persistence: own.persistence } : {});
  last = preview;
  await reach(preview, state);
  return { preview };
};

function Running({ preview }: { preview: Preview }) {
  useEffect(() => {
    // A real interval is right here: this moves the virtual clock along with the wall clock.
    const timer = globalThis.setInterval(() => void preview.advance(1_000), 1_000);
    return () => globalThis.clearInterval(timer);
  }, [preview]);
  return null;
}

export const withPreview: Decorator = (Story, context) => {
  const preview = context.loaded.preview as Preview | undefined;
  if (!preview) return <Story />;
  return (
    <BrownoutProvider client={preview.client}>
      <BrownoutUIProvider locale="en">
        {context.globals.brownoutClock === 'running' && <Running preview={preview} />}
        <Story />
      </BrownoutUIProvider>
    </BrownoutProvider>
  );
};
