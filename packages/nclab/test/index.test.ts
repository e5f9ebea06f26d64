import { describe, expect, it } from 'vitest';
import * as nclab from '../src/index.js';
import * as agop from '@nclab/agop';
import * as backend from '@nclab/backend';
import * as datasets from '@nclab/datasets';
import * as deepRfm from '@nclab/deep-rfm';
import * as ncMetrics from '@nclab/nc-metrics';
import * as nnProbes from '@nclab/nn-probes';
import * as spectra from '@nclab/spectra';
import * as ufm from '@nclab/ufm';

const packages = { backend, datasets, ncMetrics, agop, deepRfm, ufm, spectra, nnProbes } as Record<string, Record<string, unknown>>;

describe('nclab re-exports', () => {
  it('exports every public value of every package (none dropped)', () => {
    const owners = new Map<string, string[]>();
    for (const [pkg, mod] of Object.entries(packages)) for (const k of Object.keys(mod)) owners.set(k, [...(owners.get(k) ?? []), pkg]);
    const missing = [...owners.keys()].filter((k) => !(k in nclab));
    expect(missing).toEqual([]);
  });

  it('every public name has one home: no two packages export the same name (besides PACKAGE_NAME and VERSION)', () => {
    const owners = new Map<string, string[]>();
    for (const [pkg, mod] of Object.entries(packages)) for (const k of Object.keys(mod)) owners.set(k, [...(owners.get(k) ?? []), pkg]);
    const shared = [...owners].filter(([k, o]) => o.length > 1 && k !== 'PACKAGE_NAME' && k !== 'VERSION');
    expect(shared).toEqual([]);
    const n = nclab as Record<string, unknown>;
    expect(n.balancedness).toBe(ncMetrics.balancedness);
    expect(n.matrixCorrelation).toBe(agop.matrixCorrelation);
    expect(n.oneHot).toBe(agop.oneHot);
    expect(n.weightSpectrum).toBe(spectra.weightSpectrum);
    expect(n.PACKAGE_NAME).toBe('nclab');
    for (const gone of ['probeBalancedness', 'probeOneHot', 'probeWeightSpectrum', 'probeLoadCheckpoint', 'probeSaveCheckpoint']) expect(n[gone]).toBeUndefined();
  });

  it('offers the pipelines and the report writer', () => {
    for (const name of ['analyseFeatures', 'runJob', 'runDeepRfm', 'runMetrics', 'runUfm', 'runSpectraUfm', 'runSpectraDensity', 'runProbeMlp', 'runProbeImport', 'toJsonKeys', 'writeRunReport', 'renderSvg', 'runCli']) {
      expect(typeof (nclab as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('analyseFeatures returns the metrics and writes nothing until asked', async () => {
    const ds = datasets.gaussianMixture({ numClasses: 3, perClass: 20, dim: 4, radius: 2, noise: 0.1, seed: 1 });
    const run = await nclab.analyseFeatures({ features: ds.x, labels: ds.labels });
    const direct = ncMetrics.computeMetrics(ds.x, ds.labels);
    expect((run.result as ncMetrics.NcMetricsResult).nc1TraceRatio).toBe(direct.nc1TraceRatio);
    expect(run.report.kind).toBe('metrics');
    expect(run.report.result.nc1_pinv).toBe(direct.nc1Pinv);
  });
});
