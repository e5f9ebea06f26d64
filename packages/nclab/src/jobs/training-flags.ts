/**
 * The training flags `probe mlp` and `probe cnn` share: epochs, learning rate, initialisation gain, loss,
 * optimiser, momentum and weight decay (the options of nn-probes' `trainMlp` / `trainCnn`).
 */
import { LOSS_NAMES, OPTIMIZER_NAMES } from '@nclab/nn-probes';

/** `--epochs --lr --init-scale --loss --optimizer --momentum --weight-decay`. */
export const TRAINING_FLAGS = [
  { name: 'epochs', kind: 'integer', min: 0, required: true, valueName: 'E', description: 'training epochs' },
  { name: 'lr', kind: 'number', greaterThan: 0, required: true, valueName: 'η', description: 'learning rate' },
  { name: 'init-scale', kind: 'number', greaterThan: 0, default: 1, valueName: 's', description: 'Xavier-uniform gain' },
  { name: 'loss', kind: 'string', choices: LOSS_NAMES, default: 'mse', description: 'loss' },
  { name: 'optimizer', kind: 'string', choices: OPTIMIZER_NAMES, default: 'sgd', description: 'optimiser' },
  { name: 'momentum', kind: 'number', min: 0, valueName: 'm', description: 'SGD momentum (default 0)' },
  { name: 'weight-decay', kind: 'number', min: 0, valueName: 'λ', description: 'weight decay (default 0)' },
] as const;
