import { describe, expect, it } from 'vitest';
import { attachmentDisposition, checkSvg, cleanFileName, identifyMedia, IMAGE_MAX_BYTES, FILE_MAX_BYTES } from '../../workers/domain/media';
import { gif, jpeg, pdf, png, svg, webp } from '../support/images';

const text = (s: string) => new TextEncoder().encode(s);

function format(bytes: Uint8Array) {
  const result = identifyMedia(bytes);
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.message}`);
  return result.format;
}

function refusal(bytes: Uint8Array) {
  const result = identifyMedia(bytes);
  if (result.ok) throw new Error(`accepted as ${result.format.contentType}`);
  return result;
}

/** A RIFF/WEBP container around one chunk. */
function riff(fourcc: string, data: number[]): Uint8Array {
  const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
  const body = [...text('WEBP'), ...text(fourcc), ...le32(data.length), ...data, ...(data.length % 2 ? [0] : [])];
  return Uint8Array.from([...text('RIFF'), ...le32(body.length), ...body]);
}

describe('identifying uploads from their bytes', () => {
  it('reads each image type and its pixel size from the header', () => {
    expect(format(png(3, 2))).toEqual({ kind: 'image', contentType: 'image/png', ext: 'png', width: 3, height: 2 });
    expect(format(jpeg(40, 24))).toEqual({ kind: 'image', contentType: 'image/jpeg', ext: 'jpg', width: 40, height: 24 });
    expect(format(gif(7, 5))).toEqual({ kind: 'image', contentType: 'image/gif', ext: 'gif', width: 7, height: 5 });
    expect(format(webp(300, 17))).toEqual({ kind: 'image', contentType: 'image/webp', ext: 'webp', width: 300, height: 17 });
    expect(format(pdf())).toEqual({ kind: 'file', contentType: 'application/pdf', ext: 'pdf', width: null, height: null });
  });

  it('reads the lossy (VP8) and extended (VP8X) WebP headers too', () => {
    // VP8: frame tag, start code 9d 01 2a, 14-bit width and height (the top two bits are scaling).
    const vp8 = riff('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x40, 0x41, 0, 0]);
    expect(format(vp8)).toMatchObject({ ext: 'webp', width: 640, height: 320 });
    // VP8X: flags, reserved, then 24-bit width − 1 and height − 1.
    const vp8x = riff('VP8X', [0x10, 0, 0, 0, 0x1f, 0x03, 0x00, 0xdf, 0x01, 0x00]);
    expect(format(vp8x)).toMatchObject({ ext: 'webp', width: 800, height: 480 });
  });

  it('swaps a JPEG’s width and height when its EXIF orientation turns it a quarter', () => {
    expect(format(jpeg(40, 24, { orientation: 6 }))).toMatchObject({ width: 24, height: 40 });
    expect(format(jpeg(40, 24, { orientation: 3 }))).toMatchObject({ width: 40, height: 24 });
  });

  it('goes by the bytes only: a text file or an executable named .png is refused', () => {
    expect(refusal(text('just some text, honestly a PNG')).code).toBe('unsupported_media');
    expect(refusal(Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])).code).toBe('unsupported_media');
    expect(refusal(text('<html><script>alert(1)</script></html>')).code).toBe('unsupported_media');
    expect(refusal(new Uint8Array(0)).message).toMatch(/empty/);
  });

  it('refuses damaged headers instead of guessing a size', () => {
    expect(refusal(png(3, 2).slice(0, 16)).code).toBe('unsupported_media');
    expect(refusal(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9])).code).toBe('unsupported_media');
    expect(refusal(png(1, 1).map((b, i) => (i >= 16 && i < 24 ? 0 : b))).message).toMatch(/damaged/);
  });

  it('holds images to 5 MB and 20,000 px a side, PDFs to 20 MB', () => {
    const big = new Uint8Array(IMAGE_MAX_BYTES + 1);
    big.set(png(2, 2));
    expect(refusal(big)).toMatchObject({ code: 'too_large', message: expect.stringContaining('5 MB') });
    const wide = png(1, 1);
    new DataView(wide.buffer).setUint32(16, 20_001);
    expect(refusal(wide)).toMatchObject({ code: 'too_large', message: expect.stringContaining('pixels') });
    const bigPdf = new Uint8Array(FILE_MAX_BYTES + 1);
    bigPdf.set(pdf());
    expect(refusal(bigPdf)).toMatchObject({ code: 'too_large', message: expect.stringContaining('20 MB') });
    const okPdf = new Uint8Array(FILE_MAX_BYTES);
    okPdf.set(pdf());
    expect(format(okPdf).kind).toBe('file');
  });
});

describe('SVG uploads', () => {
  it('accepts plain drawings and reads their size from width/height or the viewBox', () => {
    expect(format(svg())).toEqual({ kind: 'image', contentType: 'image/svg+xml', ext: 'svg', width: 40, height: 20 });
    expect(format(svg('<circle r="4"/>', 'viewBox="0 0 120 60"'))).toMatchObject({ width: 120, height: 60 });
    expect(format(svg('<circle r="4"/>', 'width="240" viewBox="0 0 120 60"'))).toMatchObject({ width: 240, height: 120 });
    expect(format(svg('<circle r="4"/>', 'width="100%"'))).toMatchObject({ width: null, height: null });
  });

  it('accepts gradients, internal references, CSS, embedded rasters and editors’ metadata', () => {
    const drawing = `
      <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>
        <style><![CDATA[ .a { fill: url(#g); } ]]></style></defs>
      <sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" pagecolor="#fff"/>
      <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
      <!-- a comment with <script> in it is only a comment -->
      <rect class="a" width="10" height="10" style="fill:url('#g')"/>
      <use xlink:href="#g" xmlns:xlink="http://www.w3.org/1999/xlink"/>
      <image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
      <text x="1" y="9">Glow &amp; go</text>`;
    expect(
      checkSvg(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg" width="10" height="10">${drawing}</svg>`),
    ).toEqual({
      ok: true,
      width: 10,
      height: 10,
    });
  });

  const refused: Array<[string, string]> = [
    ['a script element', '<script>alert(1)</script>'],
    ['a script in another case', '<SCRIPT>alert(1)</SCRIPT>'],
    ['an event handler', '<rect width="1" height="1" onload="alert(1)"/>'],
    ['an event handler without quotes', '<rect onclick=alert(1) />'],
    ['foreignObject', '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'],
    ['a javascript: link', '<a href="javascript:alert(1)"><rect/></a>'],
    ['an entity-encoded javascript: href', '<use href="&#106;avascript:alert(1)"/>'],
    ['an external image', '<image href="https://evil.example/x.png"/>'],
    ['an external use', '<use xlink:href="https://evil.example/sprite.svg#x"/>'],
    ['an SVG data URL', '<image href="data:image/svg+xml;base64,PHN2Zz4="/>'],
    ['animation rewriting an href', '<set attributeName="href" to="javascript:alert(1)"/>'],
    ['an iframe', '<iframe src="https://evil.example"/>'],
    ['CSS importing', '<style>@import url(https://evil.example/x.css);</style>'],
    ['CSS loading a remote font', '<style>@font-face { src: url(https://evil.example/f.woff) }</style>'],
    ['a style attribute loading a URL', '<rect style="fill: url(https://evil.example/p.svg#x)"/>'],
    ['a prefixed script in the SVG namespace', '<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script>'],
    ['an editor prefix bound to XHTML', '<inkscape:script xmlns:inkscape="http://www.w3.org/1999/xhtml"/>'],
    ['a switch to XHTML', '<g xmlns="http://www.w3.org/1999/xhtml"><p>hi</p></g>'],
    ['a processing instruction', '<?xml-stylesheet href="https://evil.example/x.css"?><rect/>'],
  ];
  it.each(refused)('refuses %s', (_what, body) => {
    const result = identifyMedia(svg(body));
    expect(result).toMatchObject({ ok: false, code: 'unsafe_svg', message: expect.stringMatching(/^This SVG is not accepted: /) });
  });

  it('refuses DOCTYPEs and entities (external entities, entity-expansion bombs)', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>';
    expect(identifyMedia(text(bomb))).toMatchObject({ ok: false, code: 'unsafe_svg' });
  });

  it('refuses unclosed markup rather than guess where it ends', () => {
    expect(checkSvg('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"')).toMatchObject({ ok: false });
    expect(checkSvg('<svg xmlns="http://www.w3.org/2000/svg"><!-- <script>')).toMatchObject({ ok: false });
  });
});

describe('file names', () => {
  it('keeps the name without path or control characters', () => {
    expect(cleanFileName('C:\\Users\\ava\\Guide.pdf')).toBe('Guide.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.png')).toBe('abc.png');
    expect(cleanFileName('   ')).toBe('upload');
  });

  it('sends plain names as they are and others with an ASCII fallback plus the exact UTF-8 name', () => {
    expect(attachmentDisposition('guide.pdf')).toBe('attachment; filename="guide.pdf"');
    expect(attachmentDisposition('Guía "rápida".pdf')).toBe(
      `attachment; filename="Gu_a__r_pida_.pdf"; filename*=UTF-8''Gu%C3%ADa%20%22r%C3%A1pida%22.pdf`,
    );
  });
});
