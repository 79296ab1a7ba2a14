import { createContext, type ReactNode, useContext } from 'react';
import type { BrownoutClient } from '../core/index.js';

const ClientContext = createContext<BrownoutClient | null>(null);

/** Props of {@link BrownoutProvider}. */
export interface BrownoutProviderProps {
  /** The client made once by `createClient` (outside render). */
  client: BrownoutClient;
  children?: ReactNode;
}

/**
 * Makes a Brownout client available to the hooks and components below it.
 * @example
 * <BrownoutProvider client={client}><App /></BrownoutProvider>
 */
export function BrownoutProvider({ client, children }: BrownoutProviderProps): ReactNode {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/** The client from the nearest {@link BrownoutProvider}; throws a clear error outside one. */
export function useBrownoutClient(): BrownoutClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useBrownoutClient: no <BrownoutProvider client={…}> above this component.');
  return client;
}

/** The client from the nearest {@link BrownoutProvider}, or null outside one (for optional kit parts). */
export const useOptionalBrownoutClient = (): BrownoutClient | null => useContext(ClientContext);
