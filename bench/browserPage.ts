// The Chromium section's page (bundled with esbuild, served same-origin by bench/server.ts): the shared
// contenders twice — with the page's own fetch (to /data on the same origin), and with a fetch-like function
// that returns `new Response(…)` at once (what each library's JavaScript costs without the network) — and
// one function the bench calls per batch.
import { standardContenders } from './contenders.js';

const network = standardContenders((input, init) => fetch(input, init), `${location.origin}/data`);
const inMemory = standardContenders(
  async () => new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } }),
  `${location.origin}/data`,
);
const contenders = [...network, ...inMemory];

/** Runs `n` calls of contender `index` one after another; resolves with the wall µs per call. */
async function batch(index: number, n: number): Promise<number> {
  const call = contenders[index]!.call;
  const t = performance.now();
  for (let i = 0; i < n; i++) await call();
  return ((performance.now() - t) * 1000) / n;
}

(globalThis as { __bench?: unknown }).__bench = { names: network.map((c) => c.name), batch };
