// Preloaded (`node --import`) into a child Node process by `runNodeProcess`: at exit, writes the process's
// CPU seconds (user + system, all threads) and peak RSS (getrusage maxRSS) as JSON to $NCLAB_BENCH_USAGE_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.NCLAB_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const c = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ cpuSeconds: (c.user + c.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
  });
}
