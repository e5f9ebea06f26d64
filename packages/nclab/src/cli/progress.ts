/**
 * Progress reporting on stderr (stdout stays clean for `--json -` and tables).
 * On a terminal: one bar redrawn in place. Elsewhere (CI logs, pipes): one line per finished step.
 */

/** A progress sink: `tick` after each finished unit of work, `done` at the end. */
export interface Progress {
  /** Marks `step` (1-based) of `total` finished, with an optional short note (`layer 3`). */
  update(step: number, note?: string): void;
  /** Writes a free-form status line (`loading MNIST`). */
  log(message: string): void;
  /** Ends the bar (prints the elapsed time). */
  done(note?: string): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Label in front of the bar (`deep-rfm`). */
  label: string;
  /** Number of steps. */
  total: number;
  /** Suppress all output. */
  quiet?: boolean;
  /** Destination; default `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Clock in ms; default `performance.now`. For tests. */
  now?: () => number;
}

/** A duration for people: "12.3 s" under a minute, else "13 min 3 s". @param ms - milliseconds. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * Creates a stderr progress reporter.
 *
 * @param options - label, number of steps, quiet flag, stream.
 * @returns a {@link Progress}.
 * @example
 * const p = createProgress({ label: 'deep-rfm', total: 8 });
 * for (let l = 1; l <= 8; l++) { work(l); p.update(l, `layer ${l}`); }
 * p.done();
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const start = now();
  const total = Math.max(1, options.total);
  const tty = Boolean(stream.isTTY);
  let open = false;
  const write = (s: string) => {
    if (!options.quiet) stream.write(s);
  };
  const clear = () => {
    if (open) write('\r\x1b[K');
    open = false;
  };
  return {
    update(step, note) {
      const elapsed = now() - start;
      const frac = Math.min(1, Math.max(0, step / total));
      if (tty) {
        const width = 24;
        const filled = Math.round(frac * width);
        const eta = step > 0 && step < total ? `, ~${formatSeconds((elapsed / step) * (total - step))} left` : '';
        clear();
        write(`${options.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${step}/${total}${note ? ` ${note}` : ''} (${formatSeconds(elapsed)}${eta})`);
        open = true;
      } else {
        write(`${options.label}: ${step}/${total}${note ? ` ${note}` : ''} (${formatSeconds(elapsed)})\n`);
      }
    },
    log(message) {
      clear();
      write(`${options.label}: ${message}\n`);
    },
    done(note) {
      clear();
      write(`${options.label}: done in ${formatSeconds(now() - start)}${note ? ` (${note})` : ''}\n`);
    },
  };
}
