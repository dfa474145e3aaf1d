import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'core',
    environment: 'node',
    include: ['core/**/*.test.ts', 'schema/**/*.test.ts', 'scripts/**/*.test.ts'],
  },
});
