/**
 * @nclab/nn-probes: train MLPs on tfjs, capture their layers, and locate where neural collapse
 * happens: sub-layer NC1 (input, after S Vᵀ, after U and the activation), Neural Feature Ansatz
 * correlations with the AGOP of each sub-network, weight spectra and balancedness (Beaglehole et al.
 * 2024, §5).
 */
export const PACKAGE_NAME = '@nclab/nn-probes';
declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs
/** The package version, from its package.json at build (and test) time; `'0.0.0-source'` when run from source. */
export const VERSION: string = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';

export type { Activation, LossName, OptimizerName, MlpSpec, LayerParams, MlpParams, TrainingSet } from './types.js';
export { MLP_ACTIVATIONS, LOSS_NAMES, OPTIMIZER_NAMES } from './types.js';
export type { CreateMlpOptions } from './mlp.js';
export { createMlp, mlpFromWeights, validateSpec, layerShape, hiddenWidth, layerActivation, cloneParams } from './mlp.js';
export type { TfNetwork, ForwardTrace } from './network.js';
export { toTfNetwork, fromTfNetwork, assignTfNetwork, forward, linear, activate } from './network.js';
export { batchLoss, lossTargets } from './losses.js';
export type { OptimizerOptions, OptimizerState, Optimizer } from './optimizers.js';
export { createOptimizer, resolveOptimizerOptions } from './optimizers.js';
export { TrainingDivergedError } from './errors.js';
export type { TrainOptions, TrainResult, TrainState, EpochStats, EpochEnd, TrainRouteName } from './train.js';
export { trainMlp, evaluate } from './train.js';
export type { CommonTrainOptions, CheckedTrainOptions } from './train-options.js';
export { checkTrainOptions, epochSeed } from './train-options.js';
export type { FeatureKind, FeatureVisitor, StreamFeaturesOptions } from './layer-features.js';
export { streamLayerFeatures } from './layer-features.js';
export type { FeatureNc, NetworkNc, NetworkNcOptions, FeatureStream } from './layer-nc.js';
export { networkNc, ncKey, rightShare, streamedNc } from './layer-nc.js';
export type { NetworkAgopOptions, NetworkAgops } from './network-agop.js';
export { networkAgops } from './network-agop.js';
export type { NfaCorrelations } from './nfa.js';
export { featureMatrix, nfaCorrelations } from './nfa.js';
export type { LayerSpectrum, LayerBalance } from './spectra.js';
export { layerSpectrum, layerBalance } from './spectra.js';
export type { LayerCheckpoint, SubLayerNc, ProbeSnapshot, ProbeNetworkOptions, MetricDependenceRow, MetricShares } from './probes.js';
export { probeNetwork, metricDependenceFields, metricDependenceTable, collapseShare } from './probes.js';
export type { ProbeMlpOptions, ProbeMlpState, ProbeProgress, ProbeResult, ProbeSummary } from './probe-mlp.js';
export { probeMlp, summarise } from './probe-mlp.js';
export type { MatrixSource, FeatureSource, WeightSource, ProbeImportedOptions, ImportedLayer, ImportedResult } from './probe-imported.js';
export { probeImported } from './probe-imported.js';
export type { MlpWorkspace, ForwardWorkspace } from './host/mlp-pass.js';
export { mlpWorkspace, forwardHost, forwardWorkspace, forwardRows, backwardHost, lossAndGradient } from './host/mlp-pass.js';
export type { HostOptimizer } from './host/optimizer-host.js';
export { createHostOptimizer } from './host/optimizer-host.js';
export type { TrainRoute } from './host/trainer-host.js';
export { evaluateHost, hostTrainRoute } from './host/trainer-host.js';
export type { LinearHeadCheckpoint } from './host/linear-head.js';
export { linearHeadProbe, featureConditioning } from './host/linear-head.js';
export type { ConvBlockSpec, CnnSpec, CnnParams, ImageSet } from './cnn/types.js';
export type { CreateCnnOptions, TfCnn, CnnTrace } from './cnn/model.js';
export { createCnn, cloneCnn, validateCnnSpec, cnnShapes, toTfCnn, fromTfCnn, assignTfCnn, cnnForward, convSame, unfoldPatches, filterLayout, matrixLayout } from './cnn/model.js';
export type { TrainCnnOptions, CnnTrainState } from './cnn/train.js';
export { trainCnn, evaluateCnn, epochPermutation } from './cnn/train.js';
export type { CnnNcOptions, CnnLayerCheckpoint, ProbeCnnNetworkOptions } from './cnn/probes.js';
export { streamCnnFeatures, cnnNc, cnnAgops, probeCnnNetwork, cnnLayer, cnnLayerCount } from './cnn/probes.js';
export type { ProbeCnnOptions, ProbeCnnState, ProbeCnnResult } from './cnn/probe-cnn.js';
export { probeCnn } from './cnn/probe-cnn.js';
export { balancedSubsample, takeRows } from './entk/subsample.js';
export type { EntkGram, KernelClassStats, EntkProbeOptions, EntkProbe, EntkCheckpoint } from './entk/entk.js';
export { entkGram, kernelClassStats, entkPredictorAgops, entkProbe } from './entk/entk.js';
