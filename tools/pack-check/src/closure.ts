/** A package of the monorepo as the pack-install-run check sees it: its name and its runtime dependencies. */
export interface LocalPackage {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/**
 * The packages a user installs to get `name` from tarballs: `name` and, transitively, every local package
 * among its `dependencies` (devDependencies and peers excluded), each once, in discovery order.
 *
 * @param name - the package asked for, e.g. `@nclab/nc-metrics`.
 * @param packages - the monorepo's packages.
 * @returns the names, `name` first.
 * @throws {Error} when `name` is not one of `packages`.
 * @example
 * localClosure('@nclab/nc-metrics', pkgs); // ['@nclab/nc-metrics', '@nclab/backend']
 */
export function localClosure(name: string, packages: readonly LocalPackage[]): string[] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  if (!byName.has(name)) throw new Error(`${name} is not a package of this repository`);
  const out: string[] = [];
  const visit = (n: string): void => {
    const p = byName.get(n);
    if (!p || out.includes(n)) return;
    out.push(n);
    for (const d of p.dependencies) visit(d);
  };
  visit(name);
  return out;
}
