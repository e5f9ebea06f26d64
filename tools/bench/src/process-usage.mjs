// Preloaded (`node --import`) into a child Node process by `runNodeProcess`, and carried by its Node options
// into every Node process it starts in turn (the nclab launcher starts the CLI once more): at exit, each writes
// its CPU seconds (user + system, all threads) and peak RSS (getrusage maxRSS) as JSON to
// $NCLAB_BENCH_USAGE_DIR/<pid>.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.NCLAB_BENCH_USAGE_DIR;
if (dir) {
  process.on('exit', () => {
    const c = process.cpuUsage();
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ cpuSeconds: (c.user + c.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
  });
}
