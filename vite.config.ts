import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Library build: one ES module per public entry; peers and zustand stay external. */
export default defineConfig({
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    copyPublicDir: false,
    sourcemap: true,
    minify: false,
    cssCodeSplit: true,
    lib: {
      entry: {
        index: 'src/index.ts',
        'entries/react': 'src/entries/react.ts',
        'query/index': 'src/query/index.ts',
        'msw/index': 'src/msw/index.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: [
        /^react($|\/)/,
        /^react-dom($|\/)/,
        /^zustand($|\/)/,
        /^@tanstack\/query-core($|\/)/,
        /^msw($|\/)/,
      ],
    },
  },
});
