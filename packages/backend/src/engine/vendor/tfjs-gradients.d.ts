// Side-effect module: registers tfjs-core's gradients and chained ops (see scripts/vendor-tfjs-gradients.mjs).
export {};
