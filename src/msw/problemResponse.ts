/**
 * An RFC 9457 problem response: `problem` as JSON, `Content-Type: application/problem+json`. The body is
 * sent as given (not validated), so tests can send odd problems on purpose.
 * @example
 * http.get('/api/prices', () =>
 *   problemResponse(503, { type: 'about:blank', title: 'Service Unavailable', detail: 'Database failover' }),
 * );
 */
export const problemResponse = (
  status: number,
  problem: object,
  headers: Record<string, string> = {},
): Response =>
  new Response(JSON.stringify(problem), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
