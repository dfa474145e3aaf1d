declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    ADMIN_TOKEN: string;
    TEST_MIGRATIONS: { name: string; queries: string[] }[];
  }
  interface GlobalProps {
    mainModule: typeof import('../../worker/index.ts');
  }
}

/** Vite's `?raw` imports: a file's text, bundled into the test (workerd has no file system). */
declare module '*?raw' {
  const text: string;
  export default text;
}
