/**
 * Checks a status a handler will send, when it is made: an integer in 200–599, as `new Response` needs
 * (internal). Otherwise a `RangeError` naming `where`, instead of a failure on the first call.
 * @example
 * const status = checkStatus(options.status ?? 503, 'outage');
 */
export function checkStatus(status: number, where: string): number {
  if (!(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new RangeError(`${where}: status must be an integer in 200–599, got ${status}.`);
  }
  return status;
}
