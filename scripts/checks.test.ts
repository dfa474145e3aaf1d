// `npm test` runs the type check, the lint and the format check before the suites; these tests
// show that each of them rejects a bad snippet with the project's own configuration (and that
// core/ sees no DOM, Workers or Node globals), so the gate cannot pass vacuously.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..');

/** Type-checks `code` as if it were a file of the given project (the file need not exist). */
function typeErrors(tsconfig: string, code: string): string[] {
  const file = path.join(root, path.dirname(tsconfig), 'probe.ts');
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, tsconfig),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const options = { ...config.options, noEmit: true, composite: false, emitDeclarationOnly: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file
      ? ts.createSourceFile(name, code, version)
      : getSourceFile(name, version, ...rest);
  // The project's own declaration files (the Worker's generated Env) come along.
  const declarations = config.fileNames.filter((f) => f.endsWith('.d.ts'));
  const program = ts.createProgram({ rootNames: [file, ...declarations], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('npm test', () => {
  it('runs the type check, the lint, the format check and the Env check before the suites', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.test).toBe(
      'npm run typecheck && npm run lint && npm run format:check && npm run check:env-types && vitest run',
    );
    expect(pkg.scripts.typecheck).toBe('tsc -b');
  });
});

// Building a program takes seconds (the Worker's Env pulls in the whole Worker).
describe('the type check', { timeout: 120_000 }, () => {
  it('rejects a type error', () => {
    expect(typeErrors('core/tsconfig.lib.json', "export const n: number = 'one';")).toEqual([
      "Type 'string' is not assignable to type 'number'.",
    ]);
  });

  it('keeps core/ free of DOM, Workers and Node globals', () => {
    const code = [
      'export const a = document.title;',
      'export const b = performance.now();',
      'export const c = (db: D1Database) => db;',
      'export const d = process.env;',
    ].join('\n');
    expect(typeErrors('core/tsconfig.lib.json', code)).toEqual([
      expect.stringContaining("Cannot find name 'document'"),
      expect.stringContaining("Cannot find name 'performance'"),
      expect.stringContaining("Cannot find name 'D1Database'"),
      expect.stringContaining("Cannot find name 'process'"),
    ]);
  });

  it('gives the Worker the Workers globals and its generated Env, but no DOM', () => {
    const code = [
      'export const a = (env: Env): D1Database => env.DB;',
      'export const b = (env: Env): string => env.ADMIN_TOKEN;',
      'export const c = document.title;',
    ].join('\n');
    expect(typeErrors('worker/tsconfig.json', code)).toEqual([
      expect.stringContaining("Cannot find name 'document'"),
    ]);
  });
});

describe('the lint', () => {
  it('rejects a floating promise (a type-aware rule) in a core file', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText(
      'export async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n',
      { filePath: path.join(root, 'core/random.ts') },
    );
    expect(result!.messages.map((m) => m.ruleId)).toEqual([
      '@typescript-eslint/no-floating-promises',
    ]);
  }, 120_000);
});

describe('the format check', () => {
  it('rejects an unformatted file and accepts its formatted form', async () => {
    const filepath = path.join(root, 'core/random.ts');
    const options = { ...(await prettier.resolveConfig(filepath)), filepath };
    const messy = 'export const x = {a:1,b:"two"}';
    expect(await prettier.check(messy, options)).toBe(false);
    expect(await prettier.check(await prettier.format(messy, options), options)).toBe(true);
    expect(await prettier.format(messy, options)).toBe("export const x = { a: 1, b: 'two' };\n");
  });
});

describe('the layering', () => {
  const workerFiles = (readdirSync(path.join(root, 'worker'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => ({ file: f, text: readFileSync(path.join(root, 'worker', f), 'utf8') }));

  it('keeps every SQL statement in worker/db/', () => {
    const outside = workerFiles.filter(
      ({ file, text }) => !file.startsWith('db/') && /\.prepare\(/.test(text),
    );
    expect(outside.map((f) => f.file)).toEqual([]);
  });

  it('raises no HTTP error in worker/db/', () => {
    const inDb = workerFiles.filter(
      ({ file, text }) => file.startsWith('db/') && /ApiError|problem\.ts/.test(text),
    );
    expect(inDb.map((f) => f.file)).toEqual([]);
  });
});
