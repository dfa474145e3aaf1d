import { defineConfig } from 'vitest/config';

// Placeholder until the components land: no browser tests yet.
export default defineConfig({
  test: { name: 'components', include: ['components/**/*.test.ts'], passWithNoTests: true },
});
