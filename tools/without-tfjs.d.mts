/** Runs `code` (an ES module body) from sources in a child Node where `@tensorflow/*` cannot be loaded (failures carry the marker `tfjs-blocked`); its status and output. */
export declare function runWithoutTfjs(code: string): { status: number | null; out: string };
