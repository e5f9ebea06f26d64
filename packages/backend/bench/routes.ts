import { initEngine, setLinalgPath } from '../src/index.js';

/** A compute route a benchmark runs on: a float64 linear-algebra path, optionally with a tfjs engine for f32 products. */
export type Route = 'native' | 'portable' | 'wasm' | 'cpu';

/** Selects `route`: `native`/`portable` set the linalg path; `wasm`/`cpu` force portable (no native sgemm) and that engine. */
export async function useRoute(route: Route): Promise<void> {
  if (route === 'native' || route === 'portable') {
    setLinalgPath(route);
    return;
  }
  setLinalgPath('portable');
  await initEngine({ engine: route });
}
