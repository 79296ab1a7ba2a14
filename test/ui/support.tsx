import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import {
  BrownoutProvider,
  BrownoutUIProvider,
  type BrownoutUIProviderProps,
} from '../../src/entries/react.js';
import {
  createPreview,
  type Preview,
  type PreviewOptions,
  type PreviewState,
  reach,
} from '../../stories/support/preview.js';

/** A preview client driven into `state`, and `ui` rendered against it. */
export async function renderIn(
  state: PreviewState,
  ui: ReactNode,
  options: PreviewOptions & { text?: Omit<BrownoutUIProviderProps, 'children'> } = {},
): Promise<Preview & { view: ReturnType<typeof render> }> {
  const p = createPreview(options);
  await reach(p, state);
  const view = render(
    <BrownoutProvider client={p.client}>
      {/* The provider's live region is off here: a test looks at one component's output alone. */}
      <BrownoutUIProvider announce={false} {...options.text}>
        {ui}
      </BrownoutUIProvider>
    </BrownoutProvider>,
  );
  return { ...p, view };
}
