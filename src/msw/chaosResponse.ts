import { HttpResponse } from 'msw';

/**
 * What a chaos handler answers: a status (empty body), a response described by its parts (an object or
 * array `body` is sent as JSON), or `'network-error'` (the connection fails: fetch rejects with a
 * `TypeError`, as offline, DNS and CORS failures do).
 * @example
 * const steps: ChaosResponse[] = [503, 'network-error', { status: 200, body: [{ id: 'tea' }] }];
 */
export type ChaosResponse =
  | number
  | 'network-error'
  | {
      status: number;
      statusText?: string;
      headers?: Record<string, string>;
      /** A string is sent as is; an object or array as JSON with `Content-Type: application/json`. */
      body?: string | object | null;
    };

/**
 * Builds a fresh `Response` for a {@link ChaosResponse} (a new one per call: bodies are read once).
 * @example
 * http.get('/api/prices', () => toResponse({ status: 200, body: [] }));
 */
export function toResponse(answer: ChaosResponse): Response {
  if (answer === 'network-error') return HttpResponse.error();
  if (typeof answer === 'number') return new Response(null, { status: answer });
  const { body, status, statusText, headers } = answer;
  const json = body !== null && typeof body === 'object';
  const init: ResponseInit = {
    status,
    headers: json ? { 'content-type': 'application/json', ...headers } : { ...headers },
  };
  if (statusText !== undefined) init.statusText = statusText;
  return new Response(json ? JSON.stringify(body) : (body ?? null), init);
}
