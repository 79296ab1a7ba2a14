import { createCoreClient, createVirtualClock } from '../../src/index.js';

// Bad input is the caller's error: found at once, never retried, never counted by the breaker.
const setup = () => {
  const fetch = vi.fn(async () => new Response('{}'));
  const client = createCoreClient({
    clock: createVirtualClock(0),
    fetch,
    dependencies: { api: { breaker: { consecutiveFailures: 1 } } },
  });
  return { client, fetch };
};

test('a URL that cannot be resolved is a TypeError, with no request and no breaker failure', async () => {
  const { client, fetch } = setup();
  await expect(client.fetch('api', 'http://[::1')).rejects.toThrow(
    new TypeError(
      'Brownout: cannot resolve the URL "http://[::1" for dependency "api": give the dependency a baseUrl or pass an absolute URL.',
    ),
  );
  expect(fetch).not.toHaveBeenCalled();
  expect(client.breaker('api').state.state).toBe('closed');
  await expect(client.fetch('api', 'https://ok.test/')).resolves.toHaveProperty('status', 200);
});

test('a GET with a body is a TypeError, with no request', async () => {
  const { client, fetch } = setup();
  await expect(client.fetch('api', 'https://ok.test/', { body: 'x' })).rejects.toThrow(
    /a GET request to "api" cannot have a body/,
  );
  expect(fetch).not.toHaveBeenCalled();
  expect(client.breaker('api').state.state).toBe('closed');
});

test.each(['file:///etc/passwd', 'ftp://files.test/a', 'data:text/plain,hi', 'javascript:alert(1)'])(
  'a %s URL is the caller’s error: a TypeError at once, never retried, never opening the breaker',
  async (url) => {
    const { client, fetch } = setup();
    for (let i = 0; i < 3; i++) {
      await expect(client.fetch('api', url)).rejects.toThrow(
        /uses (file|ftp|data|javascript): only http and https are called/,
      );
    }
    expect(fetch).not.toHaveBeenCalled();
    expect(client.breaker('api').state.state).toBe('closed');
    expect(client.status('api').health).toBe('healthy');
  },
);

test('credentials in the URL are refused, and the error does not repeat them', async () => {
  const { client, fetch } = setup();
  const error = await client.fetch('api', 'https://ann:s3cret@ok.test/').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toMatch(/has credentials in it; send them in a header/);
  expect((error as Error).message).not.toMatch(/s3cret/);
  expect(fetch).not.toHaveBeenCalled();
  expect(client.breaker('api').state.state).toBe('closed');
});

test('an invalid header value is a TypeError at once, with no request and no breaker failure', async () => {
  const { client, fetch } = setup();
  await expect(client.fetch('api', 'https://ok.test/', { headers: { 'x-bad': 'a\nb' } })).rejects.toThrow(
    TypeError,
  );
  expect(fetch).not.toHaveBeenCalled();
  expect(client.breaker('api').state.state).toBe('closed');
});

test.each(['GE T', 'TRACE', 'connect', 'track', ''])(
  'the method %j is the caller’s error: a TypeError at once, never retried, never opening the breaker',
  async (method) => {
    const { client, fetch } = setup();
    for (let i = 0; i < 3; i++) {
      await expect(client.fetch('api', 'https://ok.test/', { method })).rejects.toThrow(
        /is not a method fetch can send \(dependency "api"\)/,
      );
    }
    expect(fetch).not.toHaveBeenCalled();
    expect(client.breaker('api').state.state).toBe('closed');
  },
);
