import { loadMnist } from '@nclab/datasets';
const c: number[] = [];
for (let r = 0; r < 20; r++) { const c0 = process.cpuUsage(); loadMnist({ perClass: 500 }); const d = process.cpuUsage(c0); c.push((d.user + d.system) / 1e3); }
console.log(c.map((v) => v.toFixed(0)).join(' '));
