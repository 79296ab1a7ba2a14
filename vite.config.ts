import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Library build: one ES module per public entry (dist/**.js) and the same entries as CommonJS
 * (dist/**.cjs) for `require` where require(esm) is not available (Jest's default configuration).
 * Peers and dependencies (zustand, idb-keyval) stay external. No source maps: the output is not
 * minified, and maps without their sources would point at a src/ the package does not ship.
 * The React entry starts with "use client" so React Server Components frameworks treat it as a
 * client boundary.
 */
const REACT_ENTRY = 'entries/react';

export default defineConfig({
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    copyPublicDir: false,
    sourcemap: false,
    minify: false,
    cssCodeSplit: true,
    lib: {
      entry: {
        index: 'src/index.ts',
        [REACT_ENTRY]: 'src/entries/react.ts',
        'query/index': 'src/query/index.ts',
        'msw/index': 'src/msw/index.ts',
      },
      formats: ['es', 'cjs'],
      fileName: (format, name) => `${name}.${format === 'es' ? 'js' : 'cjs'}`,
    },
    rollupOptions: {
      external: [
        /^react($|\/)/,
        /^react-dom($|\/)/,
        /^zustand($|\/)/,
        /^idb-keyval($|\/)/,
        /^@tanstack\/query-core($|\/)/,
        /^msw($|\/)/,
      ],
      output: {
        banner: (chunk) => (chunk.isEntry && chunk.name === REACT_ENTRY ? '"use client";' : ''),
      },
    },
  },
});
