/**
 * A streaming ZIP writer (PKWARE APPNOTE 6.3): each entry is deflated with the platform's
 * `CompressionStream('deflate-raw')` (Node 20 and Workers) as its bytes arrive, so an archive of
 * any number of rows is written without holding a file in memory. Entries use a data descriptor
 * (general purpose bit 3: CRC-32 and sizes follow the data) and UTF-8 names (bit 11); the
 * central directory at the end carries the final values. No ZIP64: an entry or the archive must
 * stay under 4 GiB, which `zipStream` checks instead of writing a corrupt file.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), continuing from `crc` (0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  name: string;
  /** The file's bytes, in as many chunks as it comes in. */
  data: AsyncIterable<Uint8Array>;
}

const LIMIT = 0xffffffff;
const VERSION = 20;
const FLAGS = (1 << 3) | (1 << 11);
const DEFLATE = 8;

/** MS-DOS time and date of an instant, in UTC (the format has no zone). */
function dosDateTime(ms: number): { time: number; date: number } {
  const d = new Date(ms);
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

class Bytes {
  private readonly view: DataView;
  readonly bytes: Uint8Array;
  private at = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u16(v: number) {
    this.view.setUint16(this.at, v, true);
    this.at += 2;
    return this;
  }
  u32(v: number) {
    this.view.setUint32(this.at, v >>> 0, true);
    this.at += 4;
    return this;
  }
  raw(b: Uint8Array) {
    this.bytes.set(b, this.at);
    this.at += b.length;
    return this;
  }
}

interface Written {
  name: Uint8Array;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** Deflates one entry's data, yielding compressed chunks; the totals are in `result` when it is done. */
async function* deflate(data: AsyncIterable<Uint8Array>, result: { crc: number; size: number; compressed: number }) {
  const stream = new CompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Fed concurrently with the reads below: the compressor's queue pushes back on the feeder, not on us.
  const feeding = (async () => {
    try {
      for await (const chunk of data) {
        if (!chunk.length) continue;
        result.crc = crc32(chunk, result.crc);
        result.size += chunk.length;
        // A view over a plain ArrayBuffer as far as the compressor is concerned (never shared memory here).
        await writer.write(chunk as Uint8Array<ArrayBuffer>);
      }
      await writer.close();
    } catch (err) {
      await writer.abort(err).catch(() => undefined);
      throw err;
    }
  })();
  // A feeder failure surfaces from `await feeding` below; mark it handled for the meantime.
  feeding.catch(() => undefined);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    result.compressed += value.length;
    yield value;
  }
  await feeding;
}

/** The archive's bytes, entry after entry, then the central directory. */
export async function* zipChunks(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, modified: number): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const { time, date } = dosDateTime(modified);
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = encoder.encode(entry.name);
    const local = new Bytes(30 + name.length)
      .u32(0x04034b50)
      .u16(VERSION)
      .u16(FLAGS)
      .u16(DEFLATE)
      .u16(time)
      .u16(date)
      .u32(0)
      .u32(0)
      .u32(0)
      .u16(name.length)
      .u16(0)
      .raw(name).bytes;
    yield local;
    const totals = { crc: 0, size: 0, compressed: 0 };
    for await (const chunk of deflate(entry.data, totals)) yield chunk;
    if (totals.size > LIMIT || totals.compressed > LIMIT)
      throw new Error(`${entry.name} is over 4 GiB, which a ZIP without ZIP64 cannot hold.`);
    yield new Bytes(16).u32(0x08074b50).u32(totals.crc).u32(totals.compressed).u32(totals.size).bytes;
    written.push({ name, ...totals, offset });
    offset += local.length + totals.compressed + 16;
    if (offset > LIMIT) throw new Error('The archive is over 4 GiB, which a ZIP without ZIP64 cannot hold.');
  }
  let directorySize = 0;
  for (const w of written) {
    const header = new Bytes(46 + w.name.length)
      .u32(0x02014b50)
      .u16(VERSION)
      .u16(VERSION)
      .u16(FLAGS)
      .u16(DEFLATE)
      .u16(time)
      .u16(date)
      .u32(w.crc)
      .u32(w.compressed)
      .u32(w.size)
      .u16(w.name.length)
      .u16(0)
      .u16(0)
      .u16(0)
      .u16(0)
      .u32(0)
      .u32(w.offset)
      .raw(w.name).bytes;
    directorySize += header.length;
    yield header;
  }
  if (written.length > 0xffff) throw new Error('Over 65,535 entries needs ZIP64.');
  yield new Bytes(22).u32(0x06054b50).u16(0).u16(0).u16(written.length).u16(written.length).u32(directorySize).u32(offset).u16(0).bytes;
}

/** `zipChunks` as a byte stream, pulled as the reader (the HTTP response) asks for more. */
export function zipStream(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, modified: number): ReadableStream<Uint8Array> {
  const chunks = zipChunks(entries, modified);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
