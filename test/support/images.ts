/**
 * Small, valid image files built byte by byte, so upload tests need no fixtures on disk and no
 * image library: a PNG (real zlib data and CRCs), a baseline JPEG (one-code Huffman tables: every
 * block is flat grey), a lossless WebP (single-symbol prefix codes: one colour), a GIF (8-bit codes
 * with a clear code often enough that they never widen), and a one-page PDF.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const be16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const le16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const ascii = (text: string) => Array.from(text, (ch) => ch.charCodeAt(0));

function pngChunk(type: string, data: number[] | Uint8Array): number[] {
  const body = Uint8Array.from([...ascii(type), ...data]);
  return [...be32(data.length), ...body, ...be32(crc32(body))];
}

/** A width × height RGB PNG in one colour. */
export function png(width: number, height: number, rgb: [number, number, number] = [200, 40, 90]): Uint8Array<ArrayBuffer> {
  const row = [0, ...Array.from({ length: width }, () => rgb).flat()];
  const raw = Uint8Array.from(Array.from({ length: height }, () => row).flat());
  return Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...pngChunk('IHDR', [...be32(width), ...be32(height), 8, 2, 0, 0, 0]),
    ...pngChunk('IDAT', deflateSync(raw)),
    ...pngChunk('IEND', []),
  ]);
}

/** An APP1 Exif segment with only an orientation tag (1–8). */
function exifOrientationSegment(orientation: number): number[] {
  const tiff = [
    ...ascii('MM'),
    0,
    42,
    ...be32(8),
    ...be16(1),
    ...be16(0x0112),
    ...be16(3),
    ...be32(1),
    ...be16(orientation),
    0,
    0,
    ...be32(0),
  ];
  const data = [...ascii('Exif'), 0, 0, ...tiff];
  return [0xff, 0xe1, ...be16(data.length + 2), ...data];
}

/**
 * A grey baseline JPEG (one component). Both Huffman tables hold a single one-bit code — DC
 * difference category 0, and end-of-block — so each 8×8 block is the two bits `00`.
 */
export function jpeg(width: number, height: number, options: { orientation?: number } = {}): Uint8Array<ArrayBuffer> {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = blocks * 2;
  const data = new Array<number>(Math.ceil(bits / 8)).fill(0);
  // Pad the last byte with ones, as the standard asks.
  const used = bits % 8;
  if (used) data[data.length - 1] = 0xff >>> used;
  const segment = (marker: number, body: number[]) => [0xff, marker, ...be16(body.length + 2), ...body];
  return Uint8Array.from([
    0xff,
    0xd8,
    ...(options.orientation ? exifOrientationSegment(options.orientation) : []),
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, ...be16(height), ...be16(width), 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0]), // DC table 0: one code of length 1 → category 0
    ...segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0]), // AC table 0: one code of length 1 → end of block
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...data,
    0xff,
    0xd9,
  ]);
}

/** Bits written least significant first, as VP8L reads them. */
class BitWriter {
  readonly bytes: number[] = [];
  private bit = 0;
  write(value: number, count: number) {
    for (let i = 0; i < count; i++) {
      if (this.bit % 8 === 0) this.bytes.push(0);
      if ((value >>> i) & 1) this.bytes[this.bytes.length - 1]! |= 1 << (this.bit % 8);
      this.bit++;
    }
  }
}

/** A lossless WebP in one colour: every prefix code is a single symbol, so pixels take no bits at all. */
export function webp(width: number, height: number, argb: [number, number, number, number] = [255, 30, 120, 200]): Uint8Array<ArrayBuffer> {
  const w = new BitWriter();
  w.write(0x2f, 8);
  w.write(width - 1, 14);
  w.write(height - 1, 14);
  w.write(0, 1); // alpha hint
  w.write(0, 3); // version
  w.write(0, 1); // no transform
  w.write(0, 1); // no colour cache
  w.write(0, 1); // no meta prefix codes
  const [a, r, g, b] = argb;
  for (const symbol of [g, r, b, a]) {
    w.write(1, 1); // simple code
    w.write(0, 1); // one symbol
    w.write(1, 1); // eight bits
    w.write(symbol, 8);
  }
  w.write(1, 1); // distance code: simple, one one-bit symbol, 0
  w.write(0, 1);
  w.write(0, 1);
  w.write(0, 1);
  const chunk = w.bytes.length % 2 ? [...w.bytes, 0] : w.bytes;
  const body = [...ascii('WEBP'), ...ascii('VP8L'), ...le32(w.bytes.length), ...chunk];
  return Uint8Array.from([...ascii('RIFF'), ...le32(body.length), ...body]);
}

/** A GIF in one colour: 7-bit LZW minimum code size, so codes are whole bytes, with a clear code every 100 pixels. */
export function gif(width: number, height: number): Uint8Array<ArrayBuffer> {
  const palette = Array.from({ length: 128 }, (_, i) => [i * 2, 255 - i * 2, 128]).flat();
  const codes: number[] = [];
  for (let p = 0; p < width * height; p++) {
    if (p % 100 === 0) codes.push(128); // clear: the code width never grows past 8 bits
    codes.push(5);
  }
  codes.push(129); // end of information
  const blocks: number[] = [];
  for (let i = 0; i < codes.length; i += 255) {
    const part = codes.slice(i, i + 255);
    blocks.push(part.length, ...part);
  }
  return Uint8Array.from([
    ...ascii('GIF89a'),
    ...le16(width),
    ...le16(height),
    0xf6, // global colour table of 128 entries
    0,
    0,
    ...palette,
    0x2c,
    ...le16(0),
    ...le16(0),
    ...le16(width),
    ...le16(height),
    0,
    7,
    ...blocks,
    0,
    0x3b,
  ]);
}

/** A one-page PDF with a line of text, cross-reference table and all. */
export function pdf(text = 'The 5-minute skincare routine'): Uint8Array<ArrayBuffer> {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

export const svg = (body = '<rect width="40" height="20" fill="#9d174d"/>', attrs = 'width="40" height="20"') =>
  new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" ${attrs}>${body}</svg>`);

/** Bytes as an uploaded file (`File` is global in Node 20 and workerd). */
export const fileOf = (bytes: Uint8Array<ArrayBuffer>, name: string, type = 'application/octet-stream') =>
  new File([bytes], name, { type });
