import { readIdx, readIdxRows, balancedIndices, scalePixels, mnistFiles } from '@nclab/datasets';
const f = mnistFiles();
const acc: Record<string, number[]> = { labels: [], idx: [], rows: [], scale: [] };
for (let rep = 0; rep < 12; rep++) {
  const t = performance.now();
  const lab = readIdx(f.trainLabels); const t1 = performance.now();
  const idx = balancedIndices(lab.data as Uint8Array, { perClass: 500, numClasses: 10 }); const t2 = performance.now();
  const im = readIdxRows(f.trainImages, idx); const t3 = performance.now();
  scalePixels(im.data as Uint8Array, 5000, 784); const t4 = performance.now();
  if (rep < 2) continue;
  acc.labels.push(t1 - t); acc.idx.push(t2 - t1); acc.rows.push(t3 - t2); acc.scale.push(t4 - t3);
}
for (const k in acc) { const s = acc[k].sort((a, b) => a - b); console.log(k, s[s.length >> 1].toFixed(2), s[0].toFixed(2)); }
