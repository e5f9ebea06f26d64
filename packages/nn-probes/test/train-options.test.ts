import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, initEngine } from '@nclab/backend';
import { checkTrainOptions, createCnn, createMlp, trainCnn, trainMlp, type ImageSet } from '../src/index.js';
import { blobs } from './helpers.js';

beforeAll(async () => {
  await initEngine();
});

describe('checkTrainOptions (shared by trainMlp and trainCnn)', () => {
  it('fills the defaults: batch 128, MSE, a checkpoint every 10 epochs, SGD', () => {
    const o = checkTrainOptions({ epochs: 3, lr: 0.1 });
    expect(o).toMatchObject({ batchSize: 128, loss: 'mse', checkpointEvery: 10 });
    expect(o.optimizer).toMatchObject({ name: 'sgd', lr: 0.1 });
  });

  it('trainMlp and trainCnn reject the same bad option naming the same argument', async () => {
    const train = blobs(2, 4, 4, 2, 1);
    const mlp = createMlp({ inputDim: 4, width: 3, depth: 1, numClasses: 2 });
    const images: ImageSet = { x: train.x, n: train.n, shape: [2, 2, 1], labels: train.labels, numClasses: 2 };
    const cnn = createCnn({ inputShape: [2, 2, 1], blocks: [{ channels: 2, kernel: 1, pool: 1 }], hidden: [], numClasses: 2 });
    const bad: [string, Record<string, unknown>][] = [['epochs', { epochs: -1 }], ['batchSize', { batchSize: 0 }], ['loss', { loss: 'hinge' }], ['checkpointEvery', { checkpointEvery: 0 }], ['lr', { lr: -1 }]];
    for (const [argument, patch] of bad) {
      const a = await trainMlp({ params: mlp, train, epochs: 1, lr: 0.1, ...patch }).catch((e: unknown) => e);
      const b = await trainCnn({ params: cnn, train: images, epochs: 1, lr: 0.1, ...patch }).catch((e: unknown) => e);
      for (const e of [a, b]) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).argument).toBe(argument);
      }
    }
  });
});
