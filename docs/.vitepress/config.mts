import { defineConfig } from 'vitepress';
import { nodeStubs } from './node-stubs';

const packages = ['backend', 'datasets', 'nc-metrics', 'agop', 'deep-rfm', 'ufm', 'spectra', 'nn-probes', 'nclab'];

export default defineConfig({
  title: 'nclab',
  description: 'A TypeScript toolkit for research on neural collapse',
  cleanUrls: false,
  lastUpdated: false,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  // Package READMEs are included verbatim; their relative links point into the repository.
  ignoreDeadLinks: [/^\.\.?\//],
  markdown: {
    // MathJax (markdown-it-mathjax3) renders `$…$`, `$$…$$` and the ```math fences that TSDoc comments and
    // the package READMEs use (GitHub's notation); the fences go to the same display-math renderer, so Shiki
    // never sees a `math` language.
    math: true,
    config(md) {
      const fence = md.renderer.rules.fence!;
      md.renderer.rules.fence = (tokens, idx, options, env, self) => {
        const token = tokens[idx]!;
        if (token.info.trim() === 'math') return md.renderer.rules.math_block!(tokens, idx, options, env, self);
        return fence(tokens, idx, options, env, self);
      };
    },
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Concepts', link: '/concepts/metrics' },
      { text: 'Tutorials', link: '/tutorials/deep-rfm-mnist' },
      { text: 'Demos', link: '/demos/deep-rfm' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/guide/getting-started' },
          { text: 'From a clone (before a release)', link: '/guide/from-a-clone' },
          { text: 'Command line', link: '/guide/cli' },
          { text: 'Reports', link: '/guide/reports' },
          { text: 'Running on a cluster', link: '/guide/cluster' },
        ],
      },
      {
        text: 'Concepts',
        items: [
          { text: 'NC metrics and their conventions', link: '/concepts/metrics' },
          { text: 'AGOP and RFM', link: '/concepts/agop' },
          { text: 'Deep RFM', link: '/concepts/deep-rfm' },
          { text: 'Unconstrained features models', link: '/concepts/ufm' },
          { text: 'Spectra', link: '/concepts/spectra' },
        ],
      },
      {
        text: 'Tutorials',
        items: [
          { text: 'Deep RFM collapse on MNIST', link: '/tutorials/deep-rfm-mnist' },
          { text: 'UFM closed forms', link: '/tutorials/ufm-closed-forms' },
          { text: 'Deep linear UFM Hessian outliers', link: '/tutorials/deep-linear-ufm-hessian' },
          { text: 'MLP: where NC1 falls (S Vᵀ)', link: '/tutorials/mlp-svt' },
          { text: 'The empirical NTK and the NFA', link: '/tutorials/entk' },
          { text: 'CNN probes: conv layers and S Vᵀ', link: '/tutorials/cnn-probes' },
          { text: 'Linear heads: balancedness and NC1', link: '/tutorials/linear-heads' },
        ],
      },
      {
        text: 'Live demos',
        items: [
          { text: 'Deep RFM Gram collapse', link: '/demos/deep-rfm' },
          { text: 'UFM solver', link: '/demos/ufm' },
        ],
      },
      { text: 'Packages', items: packages.map((p) => ({ text: p === 'nclab' ? 'nclab' : `@nclab/${p}`, link: `/packages/${p}` })) },
      { text: 'API reference', items: [{ text: 'All packages', link: '/api/' }] },
    ],
    search: { provider: 'local' },
  },
  vite: {
    // demos import the packages from source (the `@nclab/source` export condition)
    resolve: { conditions: ['@nclab/source', 'browser', 'module', 'import', 'default'] },
    plugins: [nodeStubs()],
    build: { chunkSizeWarningLimit: 8000 },
  },
});
