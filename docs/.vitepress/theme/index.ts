import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import DeepRfmDemo from './components/DeepRfmDemo.vue';
import UfmDemo from './components/UfmDemo.vue';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('DeepRfmDemo', DeepRfmDemo);
    app.component('UfmDemo', UfmDemo);
  },
} satisfies Theme;
