// A minimal stand-in for the part of the `vitest` API the backend's linear-algebra contract tests use
// (describe/it with .each and .skipIf, before/after hooks, expect with the matchers they call), so the
// GPU smoke bundle can run those test files with a bare `node` and no node_modules. pack.mjs aliases
// `vitest` to this file when it bundles the tests. `run()` executes what was collected and returns
// { passed, failed, skipped, failures }.

const root = { name: '', children: [], beforeAll: [], afterAll: [], afterEach: [], beforeEach: [] };
let current = root;

const format = (name, row) => {
  const args = Array.isArray(row) ? [...row] : [row];
  return name.replace(/%[sidfjo]/g, () => String(args.shift()));
};

export function describe(name, fn) {
  const node = { name, children: [], beforeAll: [], afterAll: [], afterEach: [], beforeEach: [], skip: false };
  current.children.push(node);
  const prev = current;
  current = node;
  try {
    fn();
  } finally {
    current = prev;
  }
}
describe.each = (table) => (name, fn) => table.forEach((row) => describe(format(name, row), () => (Array.isArray(row) ? fn(...row) : fn(row))));
describe.skipIf = (cond) => (name, fn) => (cond ? current.children.push({ name, skipped: true }) : describe(name, fn));

export function it(name, fn) {
  current.children.push({ name, fn });
}
it.each = (table) => (name, fn) => table.forEach((row) => it(format(name, row), () => (Array.isArray(row) ? fn(...row) : fn(row))));
it.skipIf = (cond) => (name, fn) => (cond ? current.children.push({ name, skipped: true }) : it(name, fn));
it.runIf = (cond) => it.skipIf(!cond);
export const test = it;

export const beforeAll = (fn) => current.beforeAll.push(fn);
export const afterAll = (fn) => current.afterAll.push(fn);
export const beforeEach = (fn) => current.beforeEach.push(fn);
export const afterEach = (fn) => current.afterEach.push(fn);

export const vi = {
  stubEnv(name, value) {
    (vi._stubs ??= []).push([name, process.env[name]]);
    process.env[name] = value;
  },
  unstubAllEnvs() {
    for (const [name, value] of (vi._stubs ?? []).reverse()) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    vi._stubs = [];
  },
};

function equal(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (a.constructor !== b.constructor || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => equal(a[k], b[k]));
}

const show = (v) => {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : ArrayBuffer.isView(v) ? `${v.constructor.name}(${v.length})` : String(v);
  } catch {
    return '[value]';
  }
};

function matchers(actual, negate) {
  const check = (ok, what) => {
    if (ok === negate) throw new Error(`expected ${show(actual)} ${negate ? 'not ' : ''}${what}`);
  };
  const thrown = () => {
    try {
      actual();
    } catch (e) {
      return { error: e };
    }
    return null;
  };
  return {
    toBe: (e) => check(Object.is(actual, e), `to be ${show(e)}`),
    toEqual: (e) => check(equal(actual, e), `to equal ${show(e)}`),
    toStrictEqual: (e) => check(equal(actual, e), `to equal ${show(e)}`),
    toBeNull: () => check(actual === null, 'to be null'),
    toBeDefined: () => check(actual !== undefined, 'to be defined'),
    toBeUndefined: () => check(actual === undefined, 'to be undefined'),
    toBeTruthy: () => check(Boolean(actual), 'to be truthy'),
    toBeFalsy: () => check(!actual, 'to be falsy'),
    toBeLessThan: (e) => check(actual < e, `to be less than ${e}`),
    toBeLessThanOrEqual: (e) => check(actual <= e, `to be ≤ ${e}`),
    toBeGreaterThan: (e) => check(actual > e, `to be greater than ${e}`),
    toBeGreaterThanOrEqual: (e) => check(actual >= e, `to be ≥ ${e}`),
    toBeCloseTo: (e, digits = 2) => check(Math.abs(actual - e) < 10 ** -digits / 2, `to be close to ${e} (${digits} digits)`),
    toBeInstanceOf: (cls) => check(actual instanceof cls, `to be an instance of ${cls.name}`),
    toContain: (e) => check(actual.includes(e), `to contain ${show(e)}`),
    toMatch: (re) => check(typeof re === 'string' ? actual.includes(re) : re.test(actual), `to match ${re}`),
    toHaveLength: (n) => check(actual.length === n, `to have length ${n}`),
    toThrow: (e) => {
      const t = thrown();
      let ok = t !== null;
      if (ok && e !== undefined) {
        const err = t.error;
        const msg = String(err?.message ?? err);
        if (typeof e === 'function') ok = err instanceof e;
        else if (e instanceof RegExp) ok = e.test(msg);
        else if (typeof e === 'string') ok = msg.includes(e);
        else if (e instanceof Error) ok = msg === e.message;
      }
      check(ok, `to throw ${e === undefined ? '' : String(e)}${t ? ` (threw: ${t.error?.message ?? t.error})` : ' (did not throw)'}`);
    },
  };
}

export function expect(actual) {
  const m = matchers(actual, false);
  m.not = matchers(actual, true);
  return m;
}

async function runNode(node, path, stats, eachHooks) {
  if (node.skipped) {
    stats.skipped++;
    return;
  }
  const title = path ? `${path} > ${node.name}` : node.name;
  if (node.fn) {
    try {
      for (const h of eachHooks.before) await h();
      await node.fn();
      stats.passed++;
    } catch (e) {
      stats.failed++;
      stats.failures.push(`${title}: ${e?.message ?? e}`);
    } finally {
      for (const h of eachHooks.after) {
        try {
          await h();
        } catch (e) {
          stats.failed++;
          stats.failures.push(`${title} (afterEach): ${e?.message ?? e}`);
        }
      }
    }
    return;
  }
  const hooks = { before: [...eachHooks.before, ...node.beforeEach], after: [...node.afterEach, ...eachHooks.after] };
  try {
    for (const h of node.beforeAll) await h();
  } catch (e) {
    stats.failed++;
    stats.failures.push(`${title} (beforeAll): ${e?.message ?? e}`);
    return;
  }
  for (const child of node.children) await runNode(child, title, stats, hooks);
  for (const h of node.afterAll) await h();
}

/** Runs every collected test in order; resets the collection afterwards. */
export async function run() {
  const stats = { passed: 0, failed: 0, skipped: 0, failures: [] };
  await runNode(root, '', stats, { before: [], after: [] });
  root.children = [];
  return stats;
}
