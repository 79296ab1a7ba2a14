// Real Chromium, real BroadcastChannel and localStorage: tabs of one app share what they know of a dependency.
const server = {
  up: false,
  requests: [] as string[],
  fetch: async (frame: string) => {
    server.requests.push(frame);
    return server.up ? new Response('[]', { status: 200 }) : new Response('', { status: 503 });
  },
};
(window as unknown as { __healthServer: typeof server }).__healthServer = server;

const inbox: Record<string, unknown>[] = [];
const waiters: (() => void)[] = [];
window.addEventListener('message', (e) => {
  inbox.push(e.data as Record<string, unknown>);
  for (const w of waiters.splice(0)) w();
});
const reply = async (frame: string) => {
  for (;;) {
    const i = inbox.findIndex((m) => m.frame === frame);
    if (i >= 0) return inbox.splice(i, 1)[0]!;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
};
const tab = async (name: string) => {
  const iframe = document.createElement('iframe');
  iframe.src = `/test/browser/fixtures/health.html?frame=${name}`;
  document.body.append(iframe);
  const ready = await reply(name);
  const send = async (cmd: string) => {
    iframe.contentWindow!.postMessage({ cmd }, '*');
    return reply(name);
  };
  return { ready, send, close: () => iframe.remove() };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a breaker opened in one tab is open in the others; one probe closes it for all', {
  timeout: 20_000,
}, async () => {
  localStorage.clear();
  const a = await tab('a');
  const b = await tab('b');
  expect(a.ready.state).toBe('closed');
  for (let i = 0; i < 3; i++) await a.send('call');
  expect(await a.send('state')).toMatchObject({ state: 'open' });
  await expect.poll(async () => (await b.send('state')).state).toBe('open');

  // Tab b fails fast without a request of its own.
  const before = server.requests.length;
  expect(await b.send('call')).toMatchObject({ kind: 'breaker-open' });
  expect(server.requests.length).toBe(before);

  // A tab opened later starts from the shared state.
  const c = await tab('c');
  expect(c.ready.state).toBe('open');

  // After openMs the tab that saw the failures probes; its success closes the breaker everywhere.
  // openMs is 5 s: room for tab c to load on a busy machine before the shared state expires.
  server.up = true;
  await sleep(5_050);
  expect(await a.send('call')).toMatchObject({ ok: 200, state: 'closed' });
  await expect.poll(async () => (await b.send('state')).state).toBe('closed');
  await expect.poll(async () => (await c.send('state')).state).toBe('closed');
  expect(server.requests.filter((f) => f !== 'a')).toEqual([]);
  expect(localStorage.getItem('brownout-health-browser-test:pricing')).toBeNull();
  a.close();
  b.close();
  c.close();
});
