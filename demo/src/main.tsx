import { QueryClientProvider } from '@tanstack/react-query';
import { setupWorker } from 'msw/browser';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrownoutProvider, BrownoutUIProvider } from '../../src/entries/react.js';
import '../../src/ui/styles.css';
import './demo.css';
import { App } from './App.js';
import { chaos, handlers, resetBackend, state } from './backend.js';
import { client, queryClient } from './client.js';

// What the shop calls each dependency, as nouns its users know ("Prices may be out of date.").
const LABELS = {
  pricing: 'Prices',
  reviews: 'Reviews',
  recommendations: 'Recommendations',
  orders: 'Orders',
  auth: 'Your account',
} as const;

// The backend lives in the page: MSW's service worker answers /api/*, so the demo needs no server.
await setupWorker(...handlers).start({
  serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
  onUnhandledRequest: 'bypass',
  quiet: true,
});

// For the end-to-end tests (and the curious, from the console).
Object.assign(globalThis, { brownoutDemo: { chaos, state, client, resetBackend } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrownoutProvider client={client}>
      {/* Above everything that unmounts: its live region still speaks while the maintenance screen shows. */}
      <BrownoutUIProvider labels={LABELS}>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </BrownoutUIProvider>
    </BrownoutProvider>
  </StrictMode>,
);
