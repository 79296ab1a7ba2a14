import { resolve } from 'node:path';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

// Debian's chromium, never a downloaded browser. The flags keep it off the closed network.
const debianChromium = () =>
  playwright({
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless=new',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  });

// A fresh object per project: sharing one makes the projects report under the same name.
const browser = () => ({
  enabled: true,
  headless: true,
  provider: debianChromium(),
  instances: [{ browser: 'chromium' as const }],
});

export default mergeConfig(
  viteConfig,
  defineConfig({
    // The examples import the package by name, as users do: point the names at the sources.
    resolve: {
      alias: [
        { find: /^brownout\/react$/, replacement: resolve(import.meta.dirname, 'src/entries/react.ts') },
        { find: /^brownout\/query$/, replacement: resolve(import.meta.dirname, 'src/query/index.ts') },
        { find: /^brownout\/msw$/, replacement: resolve(import.meta.dirname, 'src/msw/index.ts') },
        { find: /^brownout\/styles\.css$/, replacement: resolve(import.meta.dirname, 'src/ui/styles.css') },
        { find: /^brownout$/, replacement: resolve(import.meta.dirname, 'src/index.ts') },
      ],
    },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'jsdom',
            globals: true,
            setupFiles: ['./test/setup.ts'],
            include: ['test/**/*.test.{ts,tsx}'],
            exclude: ['test/**/*.browser.test.{ts,tsx}', 'test/e2e/**'],
          },
        },
        {
          extends: true,
          // The demo, built and served, driven in Debian's chromium by playwright-core (one browser, many pages).
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['test/e2e/**/*.e2e.test.ts'],
            globals: true,
            testTimeout: 90_000,
            hookTimeout: 120_000,
          },
        },
        {
          extends: true,
          // MSW's worker script lives in public/; the library build does not copy it, tests must serve it.
          publicDir: 'public',
          test: {
            name: 'browser',
            globals: true,
            include: ['test/**/*.browser.test.{ts,tsx}'],
            browser: browser(),
          },
        },
        {
          extends: true,
          plugins: [storybookTest({ configDir: resolve(import.meta.dirname, '.storybook') })],
          // Pre-bundled up front: found mid-run on a cold cache (a fresh clone), Vite reloads the page and
          // every story fails with "Failed to fetch dynamically imported module".
          optimizeDeps: {
            include: [
              '@tanstack/react-query',
              '@tanstack/query-core',
              'msw',
              'msw/browser',
              'react-dom/client',
              'idb-keyval',
              'zustand/vanilla',
            ],
          },
          test: { name: 'storybook', browser: browser() },
        },
      ],
    },
  }),
);
