/**
 * What an uploaded file is, decided from its bytes alone — never from its name or the type the
 * browser declared, both of which the uploader controls. Recognised: PNG, JPEG, WebP and GIF
 * images (with their pixel size read from the header), SVG images that pass `checkSvg`, and PDF
 * files (lead magnets). Anything else is refused.
 */

export const MEDIA_KINDS = ['image', 'file'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const FILE_MAX_BYTES = 20 * 1024 * 1024;
/** Larger sides than this are decompression bombs more often than photos; browsers struggle with them too. */
export const IMAGE_MAX_SIDE = 20_000;
export const ALT_MAX_LENGTH = 300;

export const IMAGE_TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  svg: 'image/svg+xml',
} as const;
export type ImageExtension = keyof typeof IMAGE_TYPES;

export interface MediaFormat {
  kind: MediaKind;
  contentType: string;
  /** The extension the stored object gets (from the bytes, never from the uploaded name). */
  ext: ImageExtension | 'pdf';
  width: number | null;
  height: number | null;
}

export type MediaRefusal = { code: 'unsupported_media' | 'too_large' | 'unsafe_svg'; message: string };
export type Identified = { ok: true; format: MediaFormat } | ({ ok: false } & MediaRefusal);

const ACCEPTED = 'Upload a PNG, JPEG, WebP, GIF or SVG image, or a PDF file.';

const refuse = (code: MediaRefusal['code'], message: string): Identified => ({ ok: false, code, message });

function startsWith(bytes: Uint8Array, signature: ArrayLike<number>, at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  for (let i = 0; i < signature.length; i++) if (bytes[at + i] !== signature[i]) return false;
  return true;
}

const ascii = (text: string) => Array.from(text, (ch) => ch.charCodeAt(0));
const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);
const u32le = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) + ((b[i + 3]! << 24) >>> 0);

type Size = { width: number; height: number } | null;

/** PNG: the IHDR chunk must come first, and holds width and height as big-endian 32-bit numbers. */
function pngSize(b: Uint8Array): Size {
  if (b.length < 24 || u32be(b, 8) !== 13 || !startsWith(b, ascii('IHDR'), 12)) return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

/** GIF: the logical screen size, little-endian, right after the signature. */
function gifSize(b: Uint8Array): Size {
  return b.length < 10 ? null : { width: u16le(b, 6), height: u16le(b, 8) };
}

/** WebP: a RIFF container whose first chunk is lossy (VP8), lossless (VP8L) or extended (VP8X). */
function webpSize(b: Uint8Array): Size {
  if (b.length < 30 && !(b.length >= 25 && startsWith(b, ascii('VP8L'), 12))) return null;
  if (startsWith(b, ascii('VP8 '), 12)) {
    // Frame tag (3 bytes), then the key frame's start code and 14-bit sizes.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (startsWith(b, ascii('VP8L'), 12)) {
    if (b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (startsWith(b, ascii('VP8X'), 12)) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  return null;
}

/** Start-of-frame markers (SOF0–SOF15), except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * The EXIF orientation (1–8) in an APP1 segment, or 1. Orientations 5–8 turn the picture a quarter,
 * and browsers apply them (`image-orientation: from-image`), so the shown width is the stored height.
 */
function exifOrientation(b: Uint8Array, start: number, end: number): number {
  if (!startsWith(b, [0x45, 0x78, 0x69, 0x66, 0, 0], start)) return 1; // "Exif\0\0"
  const tiff = start + 6;
  if (tiff + 8 > end) return 1;
  const little = b[tiff] === 0x49 && b[tiff + 1] === 0x49;
  if (!little && !(b[tiff] === 0x4d && b[tiff + 1] === 0x4d)) return 1;
  const r16 = (i: number) => (little ? u16le(b, i) : u16be(b, i));
  const r32 = (i: number) => (little ? u32le(b, i) : u32be(b, i));
  const ifd = tiff + r32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const entries = r16(ifd);
  for (let n = 0; n < entries; n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > end) return 1;
    if (r16(entry) === 0x0112) {
      const value = r16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/** JPEG: walks the marker segments up to the first start-of-frame, which holds height then width. */
function jpegSize(b: Uint8Array): Size {
  let orientation = 1;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame header
    const length = u16be(b, i + 2);
    if (length < 2 || i + 2 + length > b.length) return null;
    if (marker === 0xe1 && orientation === 1) orientation = exifOrientation(b, i + 4, i + 2 + length);
    if (isStartOfFrame(marker)) {
      if (length < 7) return null;
      const height = u16be(b, i + 5);
      const width = u16be(b, i + 7);
      return orientation >= 5 ? { width: height, height: width } : { width, height };
    }
    i += 2 + length;
  }
  return null;
}

function image(ext: ImageExtension, size: Size, byteSize: number): Identified {
  if (!size || size.width < 1 || size.height < 1)
    return refuse('unsupported_media', `The ${ext.toUpperCase()} file is damaged: its size cannot be read.`);
  if (size.width > IMAGE_MAX_SIDE || size.height > IMAGE_MAX_SIDE)
    return refuse('too_large', `Images may be at most ${IMAGE_MAX_SIDE.toLocaleString('en-US')} pixels on a side.`);
  if (byteSize > IMAGE_MAX_BYTES) return refuse('too_large', `Images may be at most ${IMAGE_MAX_BYTES / 1024 / 1024} MB.`);
  return { ok: true, format: { kind: 'image', contentType: IMAGE_TYPES[ext], ext, width: size.width, height: size.height } };
}

/**
 * What the bytes are, with the checks of their kind: images up to 5 MB, PDFs up to 20 MB, SVGs
 * only when `checkSvg` accepts them.
 */
export function identifyMedia(bytes: Uint8Array): Identified {
  if (bytes.length === 0) return refuse('unsupported_media', `The file is empty. ${ACCEPTED}`);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return image('png', pngSize(bytes), bytes.length);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return image('jpg', jpegSize(bytes), bytes.length);
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return image('gif', gifSize(bytes), bytes.length);
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return image('webp', webpSize(bytes), bytes.length);
  if (startsWith(bytes, ascii('%PDF-'))) {
    if (bytes.length > FILE_MAX_BYTES) return refuse('too_large', `PDF files may be at most ${FILE_MAX_BYTES / 1024 / 1024} MB.`);
    return { ok: true, format: { kind: 'file', contentType: 'application/pdf', ext: 'pdf', width: null, height: null } };
  }
  const text = svgText(bytes);
  if (text !== null) {
    if (bytes.length > IMAGE_MAX_BYTES) return refuse('too_large', `Images may be at most ${IMAGE_MAX_BYTES / 1024 / 1024} MB.`);
    const checked = checkSvg(text);
    if (!checked.ok) return refuse('unsafe_svg', checked.message);
    return { ok: true, format: { kind: 'image', contentType: IMAGE_TYPES.svg, ext: 'svg', width: checked.width, height: checked.height } };
  }
  return refuse('unsupported_media', `This file type is not supported. ${ACCEPTED}`);
}

// ── SVG ──────────────────────────────────────────────────────────────────────

/** The text of an SVG document (UTF-8, its first element `<svg`), or null when it is not one. */
function svgText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
  // Prolog: an XML declaration, comments, whitespace (a DOCTYPE is refused later, so let it through here).
  const prolog = /^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>\s*)*/i.exec(text);
  return /^<svg[\s>/]/i.test(text.slice(prolog?.[0].length ?? 0)) ? text : null;
}

/**
 * Elements an SVG image may use: shapes, text, paint servers, clipping, masking and filters. No
 * script, foreignObject (HTML inside SVG), animation (`set`/`animate` can rewrite an href to
 * `javascript:`), links or iframes. Compared lower-cased.
 */
const SVG_ELEMENTS = new Set(
  [
    'svg',
    'g',
    'defs',
    'symbol',
    'use',
    'title',
    'desc',
    'metadata',
    'style',
    'path',
    'rect',
    'circle',
    'ellipse',
    'line',
    'polyline',
    'polygon',
    'text',
    'tspan',
    'textPath',
    'linearGradient',
    'radialGradient',
    'stop',
    'pattern',
    'clipPath',
    'mask',
    'marker',
    'image',
    'filter',
    'feBlend',
    'feColorMatrix',
    'feComponentTransfer',
    'feComposite',
    'feConvolveMatrix',
    'feDiffuseLighting',
    'feDisplacementMap',
    'feDistantLight',
    'feDropShadow',
    'feFlood',
    'feFuncA',
    'feFuncB',
    'feFuncG',
    'feFuncR',
    'feGaussianBlur',
    'feMerge',
    'feMergeNode',
    'feMorphology',
    'feOffset',
    'fePointLight',
    'feSpecularLighting',
    'feSpotLight',
    'feTile',
    'feTurbulence',
  ].map((name) => name.toLowerCase()),
);

/** Editors' own namespaces (Inkscape, Sketch, Affinity, RDF metadata): browsers render nothing for them. */
const INERT_PREFIXES = new Set(['rdf', 'cc', 'dc', 'sodipodi', 'inkscape', 'sketch', 'serif']);

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
/** Namespaces a browser gives behaviour to: binding an editor prefix to one would make its elements live. */
const ACTIVE_NAMESPACES = new Set([SVG_NS, 'http://www.w3.org/1999/xhtml', 'http://www.w3.org/1998/Math/MathML', XLINK_NS]);

/** A reference inside the document (`#gradient`), or an embedded raster image. */
const SAFE_HREF = /^(#[\w.:-]+|data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*)$/;
/** `url(...)` pointing anywhere but into the document itself. */
const EXTERNAL_URL = /url\(\s*(?!['"]?\s*#)/i;
const DANGEROUS_CSS = /@import|expression\s*\(|-moz-binding|behavior\s*:|javascript:/i;
const DANGEROUS_VALUE = /(java|vb)script:|data:text\/html/i;

export type SvgCheck = { ok: true; width: number | null; height: number | null } | { ok: false; message: string };

function decodeEntities(value: string): string {
  return (
    value
      .replace(/&#x([0-9a-f]+);?/gi, (_m, hex: string) => String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)))
      .replace(/&#(\d+);?/g, (_m, dec: string) => String.fromCodePoint(Math.min(parseInt(dec, 10), 0x10ffff)))
      .replace(/&(quot|apos|lt|gt|amp);/g, (_m, name: string) => ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' })[name]!)
      // eslint-disable-next-line no-control-regex -- browsers ignore these inside a URL scheme ("java\tscript:")
      .replace(/[\u0000-\u0020]/g, '')
  );
}

const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** A size attribute in user units (`120`, `120px`, `120.5`); percentages and ems say nothing about pixels. */
function pixels(value: string | undefined): number | null {
  const match = value ? /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/.exec(value) : null;
  const n = match ? Math.round(Number(match[1])) : NaN;
  return n >= 1 ? n : null;
}

/**
 * Accepts an SVG only if nothing in it can run or fetch: the elements of `SVG_ELEMENTS` (plus
 * editors' inert metadata namespaces), no event-handler attributes, links only within the document
 * (or embedded raster data), no `javascript:` anywhere, CSS without imports or external `url()`,
 * no DOCTYPE or entities (entity expansion bombs, external entities). The file is refused, never
 * rewritten: what is stored is exactly what was checked. Returns the picture's size when the root
 * states it (width/height, else the viewBox).
 */
export function checkSvg(text: string): SvgCheck {
  const fail = (message: string): SvgCheck => ({ ok: false, message: `This SVG is not accepted: ${message}` });
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return fail('it declares a DOCTYPE or entities.');
  let size: { width: number | null; height: number | null } | null = null;
  let styleDepth = 0;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('<', i);
    if (open < 0) break;
    if (styleDepth > 0 && !text.startsWith('</', open)) {
      // Inside <style>, CDATA sections are the CSS itself.
      if (text.startsWith('<![CDATA[', open)) {
        const end = text.indexOf(']]>', open);
        if (end < 0) return fail('a CDATA section is not closed.');
        if (DANGEROUS_CSS.test(text.slice(open, end)) || EXTERNAL_URL.test(text.slice(open, end)))
          return fail('its CSS imports or loads something from outside the file.');
        i = end + 3;
        continue;
      }
    }
    if (styleDepth > 0) {
      const css = text.slice(i, open);
      if (DANGEROUS_CSS.test(css) || EXTERNAL_URL.test(css)) return fail('its CSS imports or loads something from outside the file.');
    }
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open + 4);
      if (end < 0) return fail('a comment is not closed.');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', open)) {
      const end = text.indexOf(']]>', open);
      if (end < 0) return fail('a CDATA section is not closed.');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?', open)) {
      const end = text.indexOf('?>', open);
      if (end < 0 || open !== text.search(/<\?xml\s/)) return fail('it contains processing instructions.');
      i = end + 2;
      continue;
    }
    // The end of the tag: the first '>' outside quotes.
    let quote: string | null = null;
    let end = open + 1;
    for (; end < text.length; end++) {
      const ch = text[end]!;
      if (quote) {
        if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '>') break;
    }
    if (end >= text.length) return fail('a tag is not closed.');
    const tag = text.slice(open + 1, end);
    i = end + 1;
    const closing = tag.startsWith('/');
    const name = /^\/?\s*([A-Za-z_][\w.:-]*)/.exec(tag)?.[1];
    if (!name) return fail('it is not well-formed.');
    const [prefix, local] = name.includes(':') ? (name.split(':', 2) as [string, string]) : [null, name];
    // `svg:` is bound to the SVG namespace (checked below), editors' prefixes to inert ones.
    const svgElement = prefix === null || prefix === 'svg';
    if (svgElement ? !SVG_ELEMENTS.has(local.toLowerCase()) : !INERT_PREFIXES.has(prefix))
      return fail(`the element <${name}> is not allowed (scripts, HTML, links and animation are refused).`);
    if (local.toLowerCase() === 'style' && svgElement) {
      if (closing) styleDepth = Math.max(0, styleDepth - 1);
      else if (!tag.trimEnd().endsWith('/')) styleDepth++;
    }
    if (closing) continue;
    const attributes = new Map<string, string>();
    for (const m of tag.slice(name.length).matchAll(ATTRIBUTE)) {
      const attr = m[1]!;
      if (attr === '/') continue;
      const raw = m[2] ?? m[3] ?? m[4] ?? '';
      const value = decodeEntities(raw);
      const attrLocal = (attr.includes(':') ? attr.split(':', 2)[1]! : attr).toLowerCase();
      if (/^on/i.test(attrLocal)) return fail(`the event handler attribute ${attr} is not allowed.`);
      if (attr === 'xmlns' && raw !== SVG_NS) return fail('it switches to a namespace other than SVG.');
      if (attr.startsWith('xmlns:')) {
        const bound = attr.slice(6);
        const expected = bound === 'xlink' ? XLINK_NS : bound === 'svg' ? SVG_NS : null;
        if (expected ? raw !== expected : ACTIVE_NAMESPACES.has(raw)) return fail(`the prefix ${bound} is bound to the wrong namespace.`);
      }
      if (attrLocal === 'href' && !SAFE_HREF.test(raw.trim())) return fail('it links or loads something outside the file.');
      if (DANGEROUS_VALUE.test(value)) return fail(`the attribute ${attr} holds a script URL.`);
      if (EXTERNAL_URL.test(value)) return fail(`the attribute ${attr} loads something from outside the file.`);
      if (attrLocal === 'style' && DANGEROUS_CSS.test(value)) return fail('its CSS imports or loads something from outside the file.');
      attributes.set(attr, raw);
    }
    if (!size && svgElement && local.toLowerCase() === 'svg') {
      let width = pixels(attributes.get('width'));
      let height = pixels(attributes.get('height'));
      const viewBox = attributes
        .get('viewBox')
        ?.trim()
        .split(/[\s,]+/)
        .map(Number);
      if (viewBox?.length === 4 && viewBox.every(Number.isFinite) && viewBox[2]! > 0 && viewBox[3]! > 0) {
        const [, , vw, vh] = viewBox as [number, number, number, number];
        if (width === null && height === null) [width, height] = [Math.round(vw), Math.round(vh)];
        else if (width === null) width = Math.round((height! * vw) / vh);
        else if (height === null) height = Math.round((width * vh) / vw);
      }
      size = { width: width && width >= 1 ? width : null, height: height && height >= 1 ? height : null };
    }
  }
  if (!size) return fail('it has no <svg> element.');
  return { ok: true, ...size };
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** The stored name of an upload: no path, no control characters, bounded (kept for the download's file name). */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(CONTROL_CHARACTERS, '').trim().slice(-200);
  return clean || 'upload';
}

/** A download's `Content-Disposition`: an ASCII fallback name plus the exact name (RFC 6266 / 5987). */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\w.-]/g, '_').slice(-150) || 'download';
  return fallback === name
    ? `attachment; filename="${name}"`
    : `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
