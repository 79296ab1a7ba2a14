// @vitest-environment node
import { stalledBody } from '../../src/msw/index.js';
import { expectHandler, mockServer, readOrStall, release, U } from './support.js';

const server = mockServer();
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

test('returns an msw handler, and refuses a nonsense byte count', () => {
  expectHandler(stalledBody(`${U}/st`), 'all', `${U}/st`);
  expect(() => stalledBody(`${U}/st`, { afterBytes: -1 })).toThrow(RangeError);
  expect(() => stalledBody(`${U}/st`, { afterBytes: 1.5 })).toThrow(RangeError);
  expect(() => stalledBody(`${U}/st`, { status: 0 })).toThrow(RangeError);
});

test('sends the headers and the first bytes, then nothing, and never ends', async () => {
  server.use(stalledBody(`${U}/st`, { afterBytes: 4, body: '[1,2,3]' }));
  const r = await fetch(`${U}/st`);
  expect([r.status, r.headers.get('content-type')]).toEqual([200, 'application/json']);
  const reader = r.body!.getReader();
  expect(text((await reader.read()).value)).toBe('[1,2');
  expect(await readOrStall(reader, 50)).toBe('stalled');
  release(reader);
});

test('defaults: 10 bytes of a JSON document', async () => {
  server.use(stalledBody(`${U}/st`));
  const reader = (await fetch(`${U}/st`)).body!.getReader();
  expect(text((await reader.read()).value)).toBe('{"items":[');
  expect(await readOrStall(reader, 30)).toBe('stalled');
  release(reader);
});

test('afterBytes 0 sends only the headers; each call stalls afresh', async () => {
  server.use(stalledBody(`${U}/st`, { afterBytes: 0, status: 206, contentType: 'text/plain' }));
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${U}/st`);
    expect([r.status, r.headers.get('content-type')]).toEqual([206, 'text/plain']);
    const reader = r.body!.getReader();
    expect(await readOrStall(reader, 30)).toBe('stalled');
    release(reader);
  }
});
