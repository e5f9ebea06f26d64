/**
 * The `nclab` executable. All logic lives in `cli/main.ts`; this file only wires the process.
 */
import { main } from './cli/main.js';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
// Engines may keep worker threads alive: exit explicitly once stdout has been flushed.
process.stdout.write('', () => process.exit(code));
