// A loopback HTTP server (node:http on 127.0.0.1, port 0) in its own Node process, so that serving a
// request never shares the measuring process's event loop or CPU time. GET /data answers a small JSON body
// (keep-alive); GET / a page that loads /bundle.js (the file named by `bundle`), for the Chromium section.
// The child exits when its stdin closes, so it cannot outlive the bench even if the parent crashes.
import { spawn } from 'node:child_process';

const SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const body = Buffer.from('{"ok":true,"items":[1,2,3]}');
const bundle = process.env.BUNDLE;
const server = http.createServer((req, res) => {
  if (req.url === '/data') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(body);
  } else if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bundle.js"></script>');
  } else if (req.url === '/bundle.js' && bundle) {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(fs.readFileSync(bundle));
  } else {
    res.writeHead(404, { 'content-length': 0 });
    res.end();
  }
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export interface LoopbackServer {
  readonly origin: string;
  close(): Promise<void>;
}

export function startServer({ bundle }: { bundle?: string } = {}): Promise<LoopbackServer> {
  const child = spawn(process.execPath, ['-e', SERVER], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BUNDLE: bundle ?? '' },
  });
  const kill = (): void => {
    child.kill();
  };
  process.once('exit', kill);
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin?.end();
      setTimeout(() => child.kill(), 2_000).unref();
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the loopback server exited (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = Number.parseInt(out, 10);
      if (out.includes('\n') && Number.isFinite(port)) resolve({ origin: `http://127.0.0.1:${port}`, close });
    });
  });
}
