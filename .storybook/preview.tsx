import type { Preview } from '@storybook/react-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import '../src/ui/styles.css';
import { globalTypes, initialGlobals, previewLoader, withPreview } from '../stories/support/withPreview.js';

const preview: Preview = {
  loaders: [mswLoader(), previewLoader],
  decorators: [withPreview],
  globalTypes,
  initialGlobals,
  parameters: {
    layout: 'padded',
    // Accessibility violations fail the story's test (in npm test through the storybook Vitest project).
    a11y: { test: 'error' },
  },
};
export default preview;
