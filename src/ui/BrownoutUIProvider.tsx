import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useOptionalBrownoutClient } from '../react/BrownoutProvider.js';
import { BrownoutAnnouncer } from './BrownoutAnnouncer.js';
import {
  type BrownoutMessages,
  type DeepPartialMessages,
  defaultMessages,
  mergeMessages,
} from './messages.js';

/** Props of {@link BrownoutUIProvider}. */
export interface BrownoutUIProviderProps {
  /** Replacement texts for every component below (any subset, one level deep). */
  messages?: DeepPartialMessages;
  /** The BCP 47 locale for relative times, lists and plurals. @default the browser's */
  locale?: string;
  /** Names users know the dependencies by: `{ pricing: 'Prices' }`. @default the dependency id, capitalized */
  labels?: Readonly<Record<string, string>>;
  /**
   * Renders the kit's live region here, where it outlives anything below that unmounts (a maintenance
   * screen replacing the page and its banner). Needs a client with a store from a `BrownoutProvider` above;
   * without one it renders nothing.
   * @default true
   */
  announce?: boolean;
  children?: ReactNode;
}

interface UIText {
  readonly messages: BrownoutMessages;
  readonly locale: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

const DEFAULT_TEXT: UIText = { messages: defaultMessages, locale: undefined, labels: {} };
const TextContext = createContext<UIText>(DEFAULT_TEXT);

/**
 * Sets the texts, locale and dependency names of the UI kit for everything below it, and owns the kit's
 * live region (so an outage and its recovery are said even when the banner unmounts). Optional: without
 * it the kit speaks English in the browser's locale, calls dependencies by their ids, and the banner
 * renders the live region.
 * @example
 * <BrownoutUIProvider locale="de" labels={{ pricing: 'Preise' }} messages={{ retryNow: 'Jetzt versuchen' }}>
 *   <App />
 * </BrownoutUIProvider>
 */
export function BrownoutUIProvider({
  messages,
  locale,
  labels,
  announce = true,
  children,
}: BrownoutUIProviderProps): ReactNode {
  const parent = useContext(TextContext);
  const value = useMemo<UIText>(
    () => ({
      messages: mergeMessages(parent.messages, messages),
      locale: locale ?? parent.locale,
      labels: labels ? { ...parent.labels, ...labels } : parent.labels,
    }),
    [parent, messages, locale, labels],
  );
  return (
    <TextContext.Provider value={value}>
      {announce && <ProviderAnnouncer />}
      {children}
    </TextContext.Provider>
  );
}

/** The provider's live region, when there is a client with a store to speak of. */
function ProviderAnnouncer(): ReactNode {
  const client = useOptionalBrownoutClient() as { store?: unknown } | null;
  return client?.store ? <BrownoutAnnouncer priority={1} /> : null;
}

/**
 * The texts of the nearest {@link BrownoutUIProvider} with a component's own `messages` over them, the
 * locale, and `label(dependency)`: the app's label, or the id capitalized (internal to the kit).
 */
export function useUIText(override?: DeepPartialMessages): UIText & { label(dependency: string): string } {
  const text = useContext(TextContext);
  const messages = useMemo(() => mergeMessages(text.messages, override), [text.messages, override]);
  return {
    messages,
    locale: text.locale,
    labels: text.labels,
    label: (dependency) =>
      text.labels[dependency] ?? dependency.charAt(0).toUpperCase() + dependency.slice(1),
  };
}

/** "Pricing and Orders", in the locale's words. */
export const listOf = (names: readonly string[], locale: string | undefined): string =>
  new Intl.ListFormat(locale, { type: 'conjunction' }).format(names);
