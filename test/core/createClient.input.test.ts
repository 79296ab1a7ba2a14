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
