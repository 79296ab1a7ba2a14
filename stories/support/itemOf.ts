import type { OutboxEntry } from '../../src/index.js';

/** A queued cart write in the user's words: "Add 2 × plate to cart". */
export const itemOf = (entry: OutboxEntry): string => {
  const text = entry.body?.kind === 'text' ? entry.body.text : '{}';
  const { sku = 'an item', qty = 1 } = JSON.parse(text) as { sku?: string; qty?: number };
  return `Add ${qty} × ${sku} to cart`;
};
