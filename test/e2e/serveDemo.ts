// The demo, built as users build it (Vite, into a temporary folder), served on a loopback HTTP server, and
// Debian's chromium launched to drive it: what every end-to-end test file starts from.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

/** A served demo build and the browser to walk it; `stop()` closes both and removes the build. */
export interface ServedDemo {
  readonly url: string;
  readonly browser: Browser;
  stop(): Promise<void>;
}

/** Builds the demo into a fresh temporary folder (named from `prefix`), serves it and launches chromium. */
export async function serveDemo(prefix: string): Promise<ServedDemo> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await build({
    configFile: resolve(import.meta.dirname, '../../demo/vite.config.ts'),
    build: { outDir: dir, emptyOutDir: true },
    logLevel: 'error',
  });
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const url = `http://localhost:${typeof address === 'object' && address ? address.port : 0}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  return {
    url,
    browser,
    async stop() {
      await browser.close();
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
