import { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';

/** An msw server for one test file: listening, reset after each test, closed at the end. */
export function mockServer(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** The origin the kit's tests call. */
export const U = 'https://chaos.test';

/** Asserts that `handler` is an msw HTTP handler for `method` and `path`. */
export function expectHandler(handler: unknown, method: 'all' | 'GET' | 'POST', path: string): void {
  expect(handler).toBeInstanceOf(HttpHandler);
  const info = (handler as HttpHandler).info;
  expect(info.path).toBe(path);
  if (method === 'all') expect(info.method).toBeInstanceOf(RegExp);
  else expect(info.method).toBe(method);
}

/** Resolves with what `promise` resolves with, or with 'stalled' if it has not settled within `ms`. */
export const settledWithin = <T>(promise: Promise<T>, ms: number): Promise<T | 'stalled'> =>
  Promise.race([promise, new Promise<'stalled'>((resolve) => setTimeout(() => resolve('stalled'), ms))]);

/** The next read of `reader`, or 'stalled' if none comes within `ms`. */
export const readOrStall = (reader: ReadableStreamDefaultReader<Uint8Array>, ms: number) =>
  settledWithin(reader.read(), ms);

/**
 * Lets go of a stalled body. Not awaited: msw/node tees every mocked response (a clone for its logs,
 * http-frame.mjs), and a tee's cancel settles only when both branches are cancelled, so it never does.
 */
export const release = (reader: ReadableStreamDefaultReader<Uint8Array>): void => {
  reader.cancel().catch(() => {});
};
