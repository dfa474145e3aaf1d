import { defineConfig } from 'vitest/config';

// One command runs every kind of test: pure domain logic in Node, the Worker inside workerd with
// D1, and the components in real Chromium. Each project keeps its own config file.
export default defineConfig({
  test: {
    projects: ['vitest.core.config.ts', 'vitest.worker.config.ts', 'vitest.browser.config.ts'],
  },
});
