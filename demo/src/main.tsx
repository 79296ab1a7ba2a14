import { setupWorker } from 'msw/browser';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrownoutProvider } from '../../src/entries/react.js';
import { createClient } from '../../src/index.js';
import '../../src/ui/styles.css';
import './demo.css';
import { App } from './App.js';
import { handlers } from './backend.js';

const client = createClient({
  dependencies: { pricing: { timeouts: { headersMs: 2_000, totalMs: 6_000 } } },
});

// The backend lives in the page: MSW's service worker answers /api/*, so the demo needs no server.
await setupWorker(...handlers).start({
  serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
  onUnhandledRequest: 'bypass',
  quiet: true,
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrownoutProvider client={client}>
      <App />
    </BrownoutProvider>
  </StrictMode>,
);
