/**
 * Vite plugin for the browser bundle of the docs: the nclab packages import a few Node built-ins
 * (`node:fs` for data files and checkpoints, `node:path`, …) in code paths the live demos never
 * take. Each such import resolves to a stub module with the same export names (read from the real
 * module at build time) whose functions throw "not available in the browser" when called.
 */
import type { UserConfig } from 'vitepress';
import { builtinModules } from 'node:module';

/** Vite's Plugin type as VitePress sees it (VitePress bundles its own Vite). */
type Plugin = Extract<NonNullable<NonNullable<UserConfig['vite']>['plugins']>[number], { name: string }>;

const PREFIX = '\0nclab-node-stub:';
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export function nodeStubs(): Plugin {
  return {
    name: 'nclab-node-stubs',
    enforce: 'pre',
    resolveId(id: string, _importer: string | undefined, options?: { ssr?: boolean }) {
      if (options?.ssr) return null; // the server render runs in Node: keep the real modules
      return BUILTINS.has(id) ? `${PREFIX}${id}` : null;
    },
    async load(id: string) {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      const real = (await import(name)) as Record<string, unknown>;
      const keys = Object.keys(real).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      const body = keys.map((k) => `export const ${k} = fail(${JSON.stringify(k)});`).join('\n');
      return `const fail = (n) => () => { throw new Error(${JSON.stringify(name)} + '.' + n + ' is not available in the browser'); };\n${body}\nexport default new Proxy({}, { get: (_, n) => fail(String(n)) });\n`;
    },
  } as Plugin;
}
