import { describe, expect, it } from 'vitest';
import { readmeExample, scratchEnv, tarballName } from '../src/examples.js';

describe('readmeExample', () => {
  it('returns the first ```ts fence only', () => {
    const md = '# x\n\n```sh\nnpm i\n```\n\n```ts\nconst a = 1;\n```\n\n```ts\nconst b = 2;\n```\n';
    expect(readmeExample(md)).toBe('const a = 1;\n');
  });
  it('is undefined without a ts fence', () => {
    expect(readmeExample('```js\nx\n```\n')).toBeUndefined();
  });
});

describe('tarballName', () => {
  it('follows npm pack: scope without @, slash to dash', () => {
    expect(tarballName('@nclab/nc-metrics', '0.1.0')).toBe('nclab-nc-metrics-0.1.0.tgz');
    expect(tarballName('nclab', '1.2.3')).toBe('nclab-1.2.3.tgz');
  });
});

describe('scratchEnv', () => {
  it('drops the outer npm run variables but keeps registry, cache and user config', () => {
    const env = scratchEnv({ PATH: '/bin', npm_config_workspace: 'docs', npm_lifecycle_event: 'test', npm_config_registry: 'r', npm_config_cache: 'c' });
    expect(env).toEqual({ PATH: '/bin', npm_config_registry: 'r', npm_config_cache: 'c' });
  });
});
