/**
 * A minimal ZIP reader for NumPy `.npz` archives: the central directory (with Zip64 sizes and
 * offsets), stored (method 0) and deflated (method 8) entries inflated with `node:zlib`.
 * Encryption, multi-disk archives and other methods are refused with a {@link DataFormatError}.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (sections 4.3.7, 4.3.12, 4.3.16, 4.5.3)
 */
import { inflateRawSync } from 'node:zlib';
import { DataFormatError } from '../errors.js';

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

function findEocd(dv: DataView, source: string): number {
  // the record is 22 bytes plus a comment of at most 65,535 bytes, at the end of the file
  const stop = Math.max(0, dv.byteLength - 22 - 0xffff);
  for (let p = dv.byteLength - 22; p >= stop; p--) if (dv.getUint32(p, true) === EOCD) return p;
  throw new DataFormatError(source, 'not a ZIP/.npz archive: no end-of-central-directory record');
}

/**
 * The entries of a ZIP archive in memory, in directory order, decompressed.
 * @param bytes - the whole archive.
 * @param source - named in error messages.
 * @returns a map from entry name (as stored, e.g. `x.npy`) to its bytes.
 * @throws {DataFormatError} when the archive is malformed, truncated, encrypted, split over disks, or
 *   uses a compression method other than stored or deflate.
 * @example
 * const entries = readZipEntries(readFileSync('layers.npz'), 'layers.npz'); // Map { 'h1.npy' => Uint8Array, … }
 */
export function readZipEntries(bytes: Uint8Array, source = '<bytes>'): Map<string, Uint8Array> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) throw new DataFormatError(source, 'not a ZIP/.npz archive: too short');
  const eocd = findEocd(dv, source);
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 6, true) !== 0) throw new DataFormatError(source, 'multi-disk ZIP archives are not supported');
  let count: number = dv.getUint16(eocd + 10, true);
  let offset: number = dv.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === MAX32) && eocd >= 20 && dv.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const z = Number(dv.getBigUint64(eocd - 20 + 8, true));
    if (z + 56 > bytes.length || dv.getUint32(z, true) !== ZIP64_EOCD) throw new DataFormatError(source, 'bad Zip64 end-of-central-directory record');
    count = Number(dv.getBigUint64(z + 32, true));
    offset = Number(dv.getBigUint64(z + 48, true));
  }
  const out = new Map<string, Uint8Array>();
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== CENTRAL) throw new DataFormatError(source, `corrupt central directory at entry ${i + 1}`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressed: number = dv.getUint32(p + 20, true);
    let size: number = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let local: number = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extended information (header 0x0001): the 8-byte values of the fields stored as 0xFFFFFFFF, in this order
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const next = () => { const v = Number(dv.getBigUint64(q, true)); q += 8; return v; };
        if (size === MAX32) size = next();
        if (compressed === MAX32) compressed = next();
        if (local === MAX32) local = next();
      }
      e += 4 + len;
    }
    if (flags & 1) throw new DataFormatError(source, `entry '${name}' is encrypted`);
    if (local + 30 > bytes.length || dv.getUint32(local, true) !== LOCAL) throw new DataFormatError(source, `entry '${name}': bad local header`);
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    if (start + compressed > bytes.length) throw new DataFormatError(source, `entry '${name}' is truncated`);
    const raw = bytes.subarray(start, start + compressed);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = inflateRawSync(raw);
      } catch (err) {
        throw new DataFormatError(source, `entry '${name}': deflate data is corrupt (${(err as Error).message})`);
      }
    } else throw new DataFormatError(source, `entry '${name}' uses compression method ${method} (stored and deflate are read)`);
    if (data.length !== size) throw new DataFormatError(source, `entry '${name}': ${data.length} bytes, the directory says ${size}`);
    out.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
