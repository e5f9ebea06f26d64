/**
 * WebGPU in Node for the `webgpu` tfjs engine: the optional `webgpu` npm package (Dawn's node plugin,
 * prebuilt, no install script) provides `navigator.gpu`, which `@tensorflow/tfjs-backend-webgpu` then
 * uses. Dawn needs the Vulkan loader (`libvulkan.so.1`) and the GPU driver's Vulkan ICD at run time.
 * The engine computes in float32 only. Neither package is a dependency of @nclab/backend: they are
 * imported lazily, and their absence is an {@link EngineUnavailableError}.
 */
import { EngineUnavailableError } from '../errors/errors.js';

/** The part of the `webgpu` package used: `create(flags)` → a GPU object; `globals` (GPUBufferUsage, …). */
interface DawnModule {
  create(flags: string[]): { requestAdapter(): Promise<unknown> };
  globals: Record<string, unknown>;
}

const HINT = '`npm install webgpu @tensorflow/tfjs-backend-webgpu` (Dawn; needs the Vulkan loader libvulkan.so.1 and the GPU driver\'s Vulkan ICD); the webgpu engine is float32 only';

/**
 * Installs `navigator.gpu` from the `webgpu` package unless one exists, and checks that Dawn finds an
 * adapter. Flags for Dawn come from env `DAWN_FLAGS` (comma-separated, e.g. `backend=vulkan`).
 * @param importer - the dynamic `import()` (tests inject a fake module).
 * @throws {EngineUnavailableError} (`webgpu`) when the package is missing or no adapter is found.
 */
export async function installNodeWebgpu(importer: (specifier: string) => Promise<unknown>): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: unknown }; process?: { env?: Record<string, string | undefined> } };
  if (g.navigator?.gpu) return;
  let dawn: DawnModule;
  try {
    const mod = (await importer('webgpu')) as DawnModule & { default?: DawnModule };
    dawn = typeof mod.create === 'function' ? mod : (mod.default as DawnModule);
    if (typeof dawn?.create !== 'function') throw new Error('the module has no create()');
  } catch (err) {
    throw new EngineUnavailableError('webgpu', `the webgpu engine in Node needs the optional \`webgpu\` package: ${HINT} (${(err as Error).message?.split('\n')[0]})`, { cause: err });
  }
  Object.assign(globalThis, dawn.globals ?? {});
  const flags = (g.process?.env?.DAWN_FLAGS ?? '').split(',').filter((s) => s !== '');
  const gpu = dawn.create(flags);
  let adapter: unknown = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    throw new EngineUnavailableError('webgpu', `Dawn could not query GPU adapters: ${(err as Error).message}; ${HINT}`, { cause: err });
  }
  if (!adapter) throw new EngineUnavailableError('webgpu', `Dawn found no GPU adapter; ${HINT}`);
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}
