// The Node-side commands vitest.browser.config.ts gives the browser tests.
import 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** Builds the bundles in memory: sizes of dist/clientfolio.js and each entry, and the bundle's code. */
    buildBundle(): Promise<{
      sizes: { name: string; minified: number; gzip: number }[];
      budget: number;
      entries: string[];
      code: string;
    }>;
    /** Runs the custom elements manifest analyzer with the project's config; the manifest's JSON. */
    analyzeManifest(): Promise<string>;
    /** Imports the index and define modules in a plain Node process, which has no DOM. */
    importWithoutDom(): Promise<{ status: number | null; stdout: string; stderr: string }>;
    /** Starts (once) a local server of test/csp/page.html and the bundle under a strict CSP; its URL. `stop` closes it. */
    strictCspPage(action: 'start'): Promise<string>;
    strictCspPage(action: 'stop'): Promise<null>;
    /** Emulates (or stops emulating) prefers-reduced-motion: reduce. */
    reduceMotion(reduce: boolean): Promise<void>;
  }
}
