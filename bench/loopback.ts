// Node's fetch to a real HTTP server on the loopback (bench/server.ts, its own process): the bare fetch,
// Brownout and cockatiel configured equivalently, each call a GET of a small JSON body read as text, over
// keep-alive. Interleaved in a random order per round (all together, and pairwise with the bare fetch);
// the ratios are medians of per-round ratios to the bare fetch. The CPU columns are this process's CPU
// time per call (user + system): the server's work is not in them.
import { standardContenders } from './contenders.js';
import { fmt, type SectionOptions, type SectionResult, table } from './harness.js';
import { interleave, nodeBatch, pairwise } from './interleave.js';
import { startServer } from './server.js';

export async function run({ quick }: SectionOptions): Promise<SectionResult> {
  const n = quick ? 100 : 400;
  const rounds = quick ? 5 : 12;
  const gc = (globalThis as { gc?: () => void }).gc;
  const server = await startServer();
  const contenders = standardContenders(globalThis.fetch, `${server.origin}/data`);
  try {
    const batch = nodeBatch(contenders.map((c) => c.call));
    const options = { n, rounds, gc, seed: 11 };
    const together = await interleave(
      batch,
      contenders.map((_, i) => i),
      options,
    );
    const pairs = await pairwise(
      batch,
      contenders.map((_, i) => i),
      options,
    );
    const rows = contenders.map((c, i) => [
      c.name,
      fmt(together[i]!.us, 0),
      fmt(together[i]!.ratio),
      i === 0 ? '1' : fmt(pairs[i - 1]!.ratio),
      fmt(together[i]!.cpuUs, 0),
      fmt(together[i]!.cpuRatio),
      i === 0 ? '1' : fmt(pairs[i - 1]!.cpuRatio),
    ]);
    const markdown = [
      `## 3. Node's fetch to a loopback server (${rounds} rounds × ${n} calls, interleaved; node:http on 127.0.0.1 in its own process)`,
      '',
      table(
        [
          'client',
          'µs/call',
          '× bare (all)',
          '× bare (pairwise)',
          'CPU µs/call',
          'CPU × bare (all)',
          'CPU × bare (pairwise)',
        ],
        rows,
      ),
      '',
      "A GET of a 27-byte JSON body over keep-alive, read as text; every client uses Node's own fetch (undici).",
      'Wall time includes the server and the loopback; CPU is the calling process only (user + system).',
      `Target (issue 12): Brownout ≤ 1.25× bare — this run: createClient ${fmt(together[1]!.ratio)}× (pairwise ${fmt(
        pairs[0]!.ratio,
      )}×), cockatiel configured equivalently ${fmt(together[3]!.ratio)}×.`,
    ].join('\n');
    const ratios = (s: readonly { ratio: number }[], offset: number) => ({
      brownout: s[1 - offset]!.ratio,
      brownoutCore: s[2 - offset]!.ratio,
      cockatiel: s[3 - offset]!.ratio,
    });
    const cpu = (s: readonly { cpuRatio: number }[], offset: number) => ({
      brownout: s[1 - offset]!.cpuRatio,
      brownoutCore: s[2 - offset]!.cpuRatio,
      cockatiel: s[3 - offset]!.cpuRatio,
    });
    return {
      markdown,
      json: {
        nodeLoopbackVsBare: ratios(together, 0),
        nodeLoopbackPairwiseVsBare: ratios(pairs, 1),
        nodeLoopbackCpuVsBare: cpu(together, 0),
        nodeLoopbackCpuPairwiseVsBare: cpu(pairs, 1),
        nodeLoopbackUsPerCall: Object.fromEntries(contenders.map((c, i) => [c.name, together[i]!.us])),
        nodeLoopbackCpuUsPerCall: Object.fromEntries(contenders.map((c, i) => [c.name, together[i]!.cpuUs])),
      },
      checks: [],
    };
  } finally {
    for (const c of contenders) c.dispose?.();
    await server.close();
  }
}
