import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/cli/progress.js';
import { Buffered } from './helpers.js';

describe('createProgress', () => {
  it('writes one line per step to a pipe, with the elapsed time', () => {
    const stream = new Buffered();
    let t = 0;
    const p = createProgress({ label: 'job', total: 2, stream, now: () => t });
    t = 1500;
    p.update(1, 'layer 1');
    t = 3000;
    p.update(2);
    p.done();
    expect(stream.text).toBe('job: 1/2 layer 1 (1.5 s)\njob: 2/2 (3.0 s)\njob: done in 3.0 s\n');
  });

  it('redraws one bar in place on a terminal and estimates the time left', () => {
    const stream = Object.assign(new Buffered(), { isTTY: true });
    let t = 0;
    const p = createProgress({ label: 'job', total: 4, stream, now: () => t });
    t = 2000;
    p.update(1);
    expect(stream.text).toBe('job [######..................] 1/4 (2.0 s, ~6.0 s left)');
    p.update(2);
    expect(stream.text).toContain('\r\x1b[K');
  });

  it('writes nothing when quiet', () => {
    const stream = new Buffered();
    const p = createProgress({ label: 'job', total: 1, stream, quiet: true });
    p.update(1);
    p.log('x');
    p.done();
    expect(stream.text).toBe('');
  });
});
