import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvSyntaxError, csvCell, isBlankRecord, parseCsv, sniffDelimiter, toCsv, unneutraliseCell } from '../../workers/domain/csv';

const records = (text: string) => parseCsv(text).records;

describe('toCsv (spreadsheet-safe export)', () => {
  it('quotes cells with commas, quotes and line breaks, and ends every line with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', null],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n');
  });

  it('neutralises formula-looking cells with a leading apostrophe', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(cell).replace(/^"|"$/g, '')).toBe(`'${cell}`);
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell({ plan: 'pro' })).toBe('"{""plan"":""pro""}"');
  });

  it('unneutraliseCell undoes exactly the apostrophe csvCell adds', () => {
    expect(unneutraliseCell("'=1+1")).toBe('=1+1');
    expect(unneutraliseCell("'-250")).toBe('-250');
    expect(unneutraliseCell("'tis")).toBe("'tis");
    expect(unneutraliseCell("'")).toBe("'");
    expect(csvCell("'=x")).toBe("''=x");
    expect(unneutraliseCell("''=x")).toBe("'=x");
  });
});

describe('parseCsv (RFC 4180 as spreadsheets write it)', () => {
  it('reads plain rows with LF, CRLF or CR line ends and no record for the final line break', () => {
    expect(records('a,b\nc,d\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(records('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(records('a,b\rc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(records('a,b\r\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('reads quoted cells with delimiters, escaped quotes and embedded line breaks', () => {
    expect(records('name,notes\r\n"Smith, Ava","She said ""yes""\r\nthen left"\r\n')).toEqual([
      ['name', 'notes'],
      ['Smith, Ava', 'She said "yes"\r\nthen left'],
    ]);
    expect(records('"",""""\n')).toEqual([['', '"']]);
  });

  it('keeps empty cells, trailing delimiters and blank lines (so row numbers match the spreadsheet)', () => {
    expect(records('a,,c,\n\nd\n')).toEqual([['a', '', 'c', ''], [''], ['d']]);
    expect(records('a,b\n,\n')).toEqual([
      ['a', 'b'],
      ['', ''],
    ]);
    expect(isBlankRecord(['', ' '])).toBe(true);
    expect(isBlankRecord(['', 'x'])).toBe(false);
  });

  it('ignores a UTF-8 byte-order mark', () => {
    expect(records('\uFEFFDeal name,Value\nX,1\n')[0]).toEqual(['Deal name', 'Value']);
  });

  it('reads an empty input as no records', () => {
    expect(records('')).toEqual([]);
    expect(records('\uFEFF')).toEqual([]);
  });

  it('keeps a quote inside an unquoted cell as text, and skips spaces after a closing quote', () => {
    expect(records('5" screen,x\n')).toEqual([['5" screen', 'x']]);
    expect(records('"a"  ,b\n')).toEqual([['a', 'b']]);
  });

  it('refuses an unterminated quote, naming the row it starts on', () => {
    const err = (() => {
      try {
        parseCsv('a,b\nc,d\n"open,e\nf\n');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).row).toBe(3);
    expect((err as CsvSyntaxError).message).toMatch(/row 3 never ends/);
  });

  it('refuses text after a closing quote, counting rows as records (quoted line breaks do not add rows)', () => {
    expect(() => parseCsv('h\n"multi\nline"\n"ab"cd\n')).toThrow(/Row 3 has text after a closing quote/);
  });

  it('sniffs semicolons (European Excel) and tabs (pasted ranges), not delimiters inside quotes', () => {
    expect(sniffDelimiter('Deal name;Value;Stage\nA;1,50;X')).toBe(';');
    expect(sniffDelimiter('Deal name\tValue\nA\t1')).toBe('\t');
    expect(sniffDelimiter('"a;b;c",d\n')).toBe(',');
    expect(records('Deal name;Value\n"Set; large";1,50\n')).toEqual([
      ['Deal name', 'Value'],
      ['Set; large', '1,50'],
    ]);
  });

  it('round-trips anything toCsv writes (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', '=', "'", 'é', ';', '\t') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const width = rows[0]!.length;
        const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
        const parsed = parseCsv(toCsv(['h1', ...Array.from({ length: width - 1 }, (_, i) => `h${i + 2}`)], table), ',').records;
        expect(parsed.slice(1).map((r) => r.map(unneutraliseCell))).toEqual(table);
      }),
    );
  });
});
