// @vitest-environment node
import { htmlErrorPage } from '../../src/msw/index.js';
import { expectHandler, mockServer, U } from './support.js';

const server = mockServer();

test('returns an msw handler', () => {
  expectHandler(htmlErrorPage(`${U}/h`), 'all', `${U}/h`);
  expectHandler(htmlErrorPage(`${U}/h`, { method: 'get' }), 'GET', `${U}/h`);
});

test('sends a proxy page: 502, text/html, nginx style', async () => {
  server.use(htmlErrorPage(`${U}/h`));
  const r = await fetch(`${U}/h`);
  expect(r.status).toBe(502);
  expect(r.headers.get('content-type')).toMatch(/^text\/html/);
  const page = await r.text();
  expect(page).toMatch(/^<!DOCTYPE html>/);
  expect(page).toContain('<title>502 Bad Gateway</title>');
  expect(page).toContain('<center>nginx</center>');
});

test('takes another status and names it', async () => {
  server.use(htmlErrorPage(`${U}/h`, { status: 504 }));
  const r = await fetch(`${U}/h`);
  expect(r.status).toBe(504);
  expect(await r.text()).toContain('<h1>504 Gateway Timeout</h1>');
});

test('refuses a status a Response cannot have, when made', () => {
  expect(() => htmlErrorPage(`${U}/h`, { status: 600 })).toThrow(RangeError);
});
