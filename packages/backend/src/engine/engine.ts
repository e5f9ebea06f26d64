import type * as TfCore from '@tensorflow/tfjs-core';
import { EngineUnavailableError, InvalidArgumentError, NclabError } from '../errors/errors.js';
import { installNodeWebgpu } from './webgpu-node.js';
import { TFJS_CORE, loadEnginePackage } from './load-package.js';
import { registerFastMatMulGradient } from './matmul-gradient.js';
import { readEnv } from '../runtime/env.js';
import { nodeVersion } from '../runtime/node.js';
import { isQuiet } from '../runtime/quiet.js';

/** Engine names accepted by {@link initEngine}. */
export type EngineName = 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'webgl' | 'webgpu';

/** What {@link initEngine} selected. */
export interface EngineInfo {
  /** The nclab engine name (never `auto`). */
  readonly name: Exclude<EngineName, 'auto'>;
  /** The tfjs backend name now active (`wasm`, `cpu`, `tensorflow`, `webgl`, `webgpu`). */
  readonly tfjsBackend: string;
  /** `@tensorflow/tfjs-core` version. */
  readonly version: string;
  /** Why this engine was chosen (for `auto`: which ones were tried). */
  readonly reason: string;
}

/** Options of {@link initEngine}. */
export interface InitEngineOptions {
  /** Engine to use. Default: `NCLAB_ENGINE` environment variable, else `auto`. */
  engine?: EngineName;
}

type Importer = (specifier: string) => Promise<unknown>;

const ENGINES: readonly EngineName[] = ['auto', 'wasm', 'cpu', 'tensorflow', 'webgl', 'webgpu'];
const defaultImporter: Importer = (specifier) => import(/* @vite-ignore */ specifier);
let importer: Importer = defaultImporter;
/** tfjs-core, loaded by the first {@link initEngine} (an optional peer: this module never imports it statically). */
let tf: typeof TfCore | null = null;
let current: EngineInfo | null = null;
let requestedName: EngineName | null = null;
let registered = false;

/**
 * Replaces the dynamic `import()` used to load optional engine packages (tests inject fakes).
 * Pass `undefined` to restore the real one. Internal: not part of the public API.
 */
export function setEngineImporter(fn: Importer | undefined): void {
  importer = fn ?? defaultImporter;
}

/**
 * Forgets the selected engine so the next {@link initEngine} selects again; with `unloadCore`, also the
 * loaded tfjs-core, so the next one imports it again through the importer. Internal (tests).
 */
export function resetEngineForTests(options: { unloadCore?: boolean } = {}): void {
  current = null;
  requestedName = null;
  if (options.unloadCore) tf = null;
}

function isNode(): boolean {
  return nodeVersion() !== undefined;
}

function envEngine(): string | undefined {
  return readEnv('NCLAB_ENGINE');
}

/** The npm package of an engine's tfjs backend (what a user installs besides tfjs-core). */
function backendPackage(name: EngineName): string {
  if (name === 'tensorflow') return '@tensorflow/tfjs-node';
  return `@tensorflow/tfjs-backend-${name === 'auto' ? (isNode() ? 'wasm' : 'webgl') : name}`;
}

/**
 * Loads `@tensorflow/tfjs-core` once.
 * @throws {EngineUnavailableError} naming tfjs-core and the engine's backend package when it cannot be loaded.
 */
async function loadCore(requested: EngineName): Promise<typeof TfCore> {
  if (tf) return tf;
  const load = (): Promise<typeof TfCore> =>
    importer === defaultImporter ? import('@tensorflow/tfjs-core') : (importer(TFJS_CORE) as Promise<typeof TfCore>);
  tf = await loadEnginePackage(requested, load, [backendPackage(requested), TFJS_CORE]);
  return tf;
}

async function registerSideEffects(core: typeof TfCore): Promise<void> {
  if (registered) return;
  registered = true;
  // Gradients and chained ops are not registered by tfjs-core's Node entry; see the vendor script.
  await import('./vendor/tfjs-gradients.js');
  registerFastMatMulGradient(core);
}

const TENSORFLOW_HINT =
  'The `tensorflow` engine needs @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node: ' +
  '`npm install @tensorflow/tfjs-node` (or `@tensorflow/tfjs-node-gpu`). Their install script downloads ' +
  'the TensorFlow C library, so it needs network access at install time.';

/** Loads the engine's package (registering its tfjs backend) and returns the tfjs backend name. */
async function loadEngine(tf: typeof TfCore, name: Exclude<EngineName, 'auto'>): Promise<string> {
  switch (name) {
    case 'wasm':
      await loadEnginePackage(name, () => (importer === defaultImporter ? import('@tensorflow/tfjs-backend-wasm') : importer('@tensorflow/tfjs-backend-wasm')), ['@tensorflow/tfjs-backend-wasm']);
      return 'wasm';
    case 'cpu':
      await loadEnginePackage(name, () => (importer === defaultImporter ? import('@tensorflow/tfjs-backend-cpu') : importer('@tensorflow/tfjs-backend-cpu')), ['@tensorflow/tfjs-backend-cpu']);
      return 'cpu';
    case 'tensorflow': {
      const errors: string[] = [];
      for (const spec of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
        try {
          await importer(spec);
          if (tf.findBackendFactory('tensorflow') == null) {
            errors.push(`${spec} loaded but registered no 'tensorflow' backend (a second copy of @tensorflow/tfjs-core? versions must match ${tf.version_core})`);
            continue;
          }
          return 'tensorflow';
        } catch (err) {
          errors.push(`${spec}: ${(err as Error).message?.split('\n')[0]}`);
        }
      }
      throw new EngineUnavailableError('tensorflow', `${TENSORFLOW_HINT} (${errors.join('; ')})`);
    }
    case 'webgl':
    case 'webgpu': {
      if (isNode() && name === 'webgpu') {
        await installNodeWebgpu(importer); // Dawn from the optional `webgpu` package, or EngineUnavailableError
      } else if (isNode()) {
        throw new EngineUnavailableError(name, `the \`${name}\` engine runs only in a browser; in Node use \`wasm\`, \`cpu\`, \`tensorflow\` or \`webgpu\``);
      }
      if (name === 'webgpu' && !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) {
        throw new EngineUnavailableError(name, 'this browser has no WebGPU (navigator.gpu is missing)');
      }
      const spec = `@tensorflow/tfjs-backend-${name}`;
      try {
        await importer(spec);
      } catch (err) {
        throw new EngineUnavailableError(name, `\`npm install ${spec}\` to use the \`${name}\` engine (${(err as Error).message})`, { cause: err, packages: [spec] });
      }
      return name;
    }
  }
}

async function activate(tf: typeof TfCore, name: Exclude<EngineName, 'auto'>, reason: string): Promise<EngineInfo> {
  const backend = await loadEngine(tf, name);
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (err) {
    throw new EngineUnavailableError(name, `the tfjs backend \`${backend}\` failed to initialise: ${(err as Error).message}`, { cause: err });
  }
  if (!ok || tf.getBackend() !== backend) {
    throw new EngineUnavailableError(name, `the tfjs backend \`${backend}\` failed to initialise`);
  }
  if (backend === 'cpu' && isQuiet()) {
    // tfjs-backend-cpu prints a banner suggesting tfjs-node on its first write in Node; NCLAB_QUIET or setLinalgQuiet(true) hides it.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
  return { name, tfjsBackend: backend, version: tf.version_core, reason };
}

/**
 * Selects and initialises the tfjs engine every nclab tensor computation runs on. Idempotent:
 * calling again with the same request returns the same info; a different request switches.
 *
 * `auto` order: Node → `tensorflow` (if installed), `wasm`, `cpu`; browser → `webgpu`, `webgl`,
 * `wasm`, `cpu`. The choice and the reason are in the returned info.
 * @param options - `{ engine }`; default from the `NCLAB_ENGINE` environment variable, else `auto`.
 * @returns the {@link EngineInfo} of the active engine.
 * @throws {InvalidArgumentError} for an unknown engine name.
 * @throws {EngineUnavailableError} when a named engine cannot be loaded (the message says how to get it; its
 * `packages` name the npm packages to install, e.g. `@tensorflow/tfjs-core`, an optional peer dependency).
 * @example
 * const info = await initEngine({ engine: 'wasm' });
 * info.tfjsBackend; // 'wasm'
 */
export async function initEngine(options: InitEngineOptions = {}): Promise<EngineInfo> {
  const fromEnv = envEngine();
  const requested = (options.engine ?? (fromEnv && fromEnv.length > 0 ? fromEnv : 'auto')) as EngineName;
  if (!ENGINES.includes(requested)) {
    throw new InvalidArgumentError(options.engine !== undefined ? 'options.engine' : 'NCLAB_ENGINE', `one of ${ENGINES.join(', ')}`, requested);
  }
  if (current && tf && requestedName === requested && tf.getBackend() === current.tfjsBackend) return current;
  const core = await loadCore(requested);
  await registerSideEffects(core);
  let info: EngineInfo;
  if (requested !== 'auto') {
    info = await activate(core, requested, options.engine !== undefined ? 'requested' : fromEnv ? 'NCLAB_ENGINE' : 'requested');
  } else {
    const order: Exclude<EngineName, 'auto'>[] = isNode() ? ['tensorflow', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
    const skipped: string[] = [];
    const missing: string[] = [];
    let found: EngineInfo | null = null;
    for (const name of order) {
      try {
        found = await activate(core, name, '');
        break;
      } catch (err) {
        skipped.push(`${name} unavailable`);
        if (!(err instanceof NclabError)) skipped[skipped.length - 1] += ` (${(err as Error).message})`;
        if (err instanceof EngineUnavailableError && name !== 'tensorflow') missing.push(...err.packages);
      }
    }
    if (!found) {
      const hint = missing.length > 0 ? `; install one: ${missing.map((p) => `\`npm install ${p}\``).join(' or ')}` : '';
      throw new EngineUnavailableError('auto', `no engine could be initialised (${skipped.join('; ')})${hint}`, { packages: missing.slice(0, 1) });
    }
    info = { ...found, reason: `auto: fastest available${skipped.length ? ` (${skipped.join(', ')})` : ''}` };
  }
  current = info;
  requestedName = requested;
  return info;
}

/** The active engine's info, or `null` before {@link initEngine} has completed. */
export function getEngineInfo(): EngineInfo | null {
  return current;
}

/**
 * The `@tensorflow/tfjs-core` namespace bound to the active engine, with gradients and chained ops
 * registered (for autodiff users: `getTf().grad`, `getTf().variableGrads`, ...).
 * @returns the tfjs-core module namespace.
 * @throws {EngineUnavailableError} before {@link initEngine} has completed.
 * @example
 * await initEngine();
 * const tf = getTf();
 * const g = tf.grad((x) => tf.sum(tf.square(x)));
 */
export function getTf(): typeof TfCore {
  if (!current || !tf) throw new EngineUnavailableError('none', 'no engine is initialised: `await initEngine()` first');
  return tf;
}
