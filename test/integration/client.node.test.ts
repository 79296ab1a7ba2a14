// @vitest-environment node
// The client against MSW in plain Node: no `location`, so only `allowedOrigins` get trace and key headers.
import { clientSuite, mockServer } from './clientSuite.js';

const server = mockServer();

test('Node has no page origin', () => {
  expect((globalThis as { location?: unknown }).location).toBeUndefined();
});

clientSuite(server);
