// @vitest-environment node
import { HttpResponse, http } from 'msw';
import { networkError } from '../../src/msw/index.js';
import { expectHandler, mockServer, U } from './support.js';

const server = mockServer();

test('returns an msw handler', () => {
  expectHandler(networkError(`${U}/n`), 'all', `${U}/n`);
  expectHandler(networkError(`${U}/n`, { method: 'get' }), 'GET', `${U}/n`);
});

test('fetch rejects with a TypeError, every call, any method', async () => {
  server.use(networkError(`${U}/n`));
  await expect(fetch(`${U}/n`)).rejects.toThrow(TypeError);
  await expect(fetch(`${U}/n`, { method: 'POST', body: '{}' })).rejects.toThrow(TypeError);
});

test('with a method, other methods reach the next handler', async () => {
  server.use(http.get(`${U}/n`, () => HttpResponse.text('real')));
  server.use(networkError(`${U}/n`, { method: 'post' }));
  await expect(fetch(`${U}/n`, { method: 'POST' })).rejects.toThrow(TypeError);
  expect(await (await fetch(`${U}/n`)).text()).toBe('real');
});
