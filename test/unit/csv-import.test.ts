import { describe, expect, it } from 'vitest';
import { AppError } from '../../workers/domain/errors';
import {
  currencyExponent,
  fieldForName,
  formatDateCell,
  formatMinor,
  inferDateOrder,
  mapColumns,
  MAX_IMPORT_ROWS,
  parseAmount,
  parseDateCell,
  planDealImport,
  planLeadImport,
  readDealFile,
  readLeadFile,
  type DealImportLookups,
  type ExistingLead,
  type ImportPipeline,
} from '../../workers/domain/csv-import';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

let seq = 0;
const newId = () => `id${String(++seq).padStart(4, '0')}`;

describe('amounts → minor units', () => {
  it('reads the ways a spreadsheet writes money', () => {
    expect(parseAmount('$250')).toEqual({ minor: 25000, currency: 'USD' });
    expect(parseAmount('250.00')).toEqual({ minor: 25000, currency: 'USD' });
    expect(parseAmount('1,250.50')).toEqual({ minor: 125050, currency: 'USD' });
    expect(parseAmount('250')).toEqual({ minor: 25000, currency: 'USD' });
    expect(parseAmount('1,234,567.8')).toEqual({ minor: 123456780, currency: 'USD' });
    expect(parseAmount(' $ 1 250 ')).toEqual({ minor: 125000, currency: 'USD' });
    expect(parseAmount('.5')).toEqual({ minor: 50, currency: 'USD' });
    expect(parseAmount('0')).toEqual({ minor: 0, currency: 'USD' });
  });

  it('uses the currency exponent: JPY has none, KWD three', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(parseAmount('250', 'JPY')).toEqual({ minor: 250, currency: 'JPY' });
    expect(parseAmount('1,250', 'JPY')).toEqual({ minor: 1250, currency: 'JPY' });
    expect(parseAmount('250.00', 'JPY')).toEqual({ minor: 250, currency: 'JPY' });
    expect(parseAmount('250.5', 'JPY')).toEqual({ error: 'JPY has no minor unit: the amount must be whole.' });
    expect(parseAmount('1.5', 'KWD')).toEqual({ minor: 1500, currency: 'KWD' });
    expect(parseAmount('1.505', 'USD')).toEqual({ error: 'USD has 2 decimal places; 1.505 has 3.' });
  });

  it('takes the currency a cell names (€, £, codes before or after)', () => {
    expect(parseAmount('€99.90')).toEqual({ minor: 9990, currency: 'EUR' });
    expect(parseAmount('£5')).toEqual({ minor: 500, currency: 'GBP' });
    expect(parseAmount('EUR 1,000')).toEqual({ minor: 100000, currency: 'EUR' });
    expect(parseAmount('1000 jpy')).toEqual({ minor: 1000, currency: 'JPY' });
    expect(parseAmount('US$12')).toEqual({ minor: 1200, currency: 'USD' });
    expect(parseAmount('€5 GBP')).toMatchObject({ error: expect.stringMatching(/two currencies/) });
  });

  it('refuses negatives, decimal commas, words and absurd sizes with a message that says how to write it', () => {
    expect(parseAmount('-250')).toEqual({ error: 'A deal value cannot be negative.' });
    expect(parseAmount('$-250')).toEqual({ error: 'A deal value cannot be negative.' });
    expect(parseAmount('(250)')).toEqual({ error: 'A deal value cannot be negative.' });
    expect(parseAmount('1.250,50')).toMatchObject({ error: expect.stringMatching(/decimal comma/) });
    expect(parseAmount('12,5')).toMatchObject({ error: expect.stringMatching(/decimal comma/) });
    expect(parseAmount('lots')).toMatchObject({ error: expect.stringMatching(/not an amount/) });
    expect(parseAmount('XYZ 5')).toMatchObject({ error: expect.stringMatching(/not a currency code/) });
    expect(parseAmount('99999999999999')).toMatchObject({ error: expect.stringMatching(/too large/) });
  });

  it('formats minor units back the way the import reads them', () => {
    expect(formatMinor(125050, 'USD')).toBe('1250.50');
    expect(formatMinor(5, 'USD')).toBe('0.05');
    expect(formatMinor(250, 'JPY')).toBe('250');
    expect(formatMinor(1500, 'KWD')).toBe('1.500');
    for (const [minor, cur] of [
      [0, 'USD'],
      [99, 'EUR'],
      [123456789, 'USD'],
      [7, 'JPY'],
      [1, 'BHD'],
    ] as const) {
      expect(parseAmount(formatMinor(minor, cur), cur)).toEqual({ minor, currency: cur });
    }
  });
});

describe('dates', () => {
  const DEC31 = Date.UTC(2026, 11, 31);
  it('reads ISO dates and times (UTC unless a zone is given), and month names', () => {
    expect(parseDateCell('2026-12-31', null)).toBe(DEC31);
    expect(parseDateCell('2026/12/31', null)).toBe(DEC31);
    expect(parseDateCell('2026-12-31T15:30:00.250Z', null)).toBe(DEC31 + 15.5 * 3600_000 + 250);
    expect(parseDateCell('2026-12-31 15:30', null)).toBe(DEC31 + 15.5 * 3600_000);
    expect(parseDateCell('2026-12-31T15:30:00+02:00', null)).toBe(DEC31 + 13.5 * 3600_000);
    expect(parseDateCell('31 Dec 2026', null)).toBe(DEC31);
    expect(parseDateCell('December 31, 2026', null)).toBe(DEC31);
    expect(parseDateCell('Dec 31st 2026 3:30 PM', null)).toBe(DEC31 + 15.5 * 3600_000);
  });

  it('reads numeric dates when the order is known, the day is over 12, or it does not matter', () => {
    expect(parseDateCell('12/31/2026', null)).toBe(DEC31);
    expect(parseDateCell('31/12/2026', null)).toBe(DEC31);
    expect(parseDateCell('03/04/2026', 'MDY')).toBe(Date.UTC(2026, 2, 4));
    expect(parseDateCell('03/04/2026', 'DMY')).toBe(Date.UTC(2026, 3, 3));
    expect(parseDateCell('04/04/2026', null)).toBe(Date.UTC(2026, 3, 4));
    expect(parseDateCell('03/04/2026', null)).toMatchObject({ error: expect.stringMatching(/day or month first/) });
  });

  it('refuses impossible dates and times', () => {
    expect(parseDateCell('2026-02-30', null)).toMatchObject({ error: expect.stringMatching(/not a real date/) });
    expect(parseDateCell('2026-13-01', null)).toMatchObject({ error: expect.stringMatching(/not a real date/) });
    expect(parseDateCell('2026-01-01 25:00', null)).toMatchObject({ error: expect.stringMatching(/not a real time/) });
    expect(parseDateCell('next week', null)).toMatchObject({ error: expect.stringMatching(/YYYY-MM-DD/) });
  });

  it('infers the order from the whole file', () => {
    expect(inferDateOrder(['03/04/2026', '25/04/2026'])).toBe('DMY');
    expect(inferDateOrder(['03/04/2026', '04/25/2026'])).toBe('MDY');
    expect(inferDateOrder(['03/04/2026', '2026-01-01'])).toBe(null);
    expect(inferDateOrder(['25/04/2026', '04/25/2026'])).toBe('conflict');
  });

  it('formats dates as a date at midnight UTC and as an ISO time otherwise', () => {
    expect(formatDateCell(DEC31)).toBe('2026-12-31');
    expect(formatDateCell(DEC31 + 1000)).toBe('2026-12-31T00:00:01.000Z');
    expect(formatDateCell(null)).toBe('');
  });
});

describe('column mapping', () => {
  it('matches headers case-, space- and punctuation-insensitively, with aliases', () => {
    for (const [header, field] of [
      ['Deal name', 'name'],
      ['DEAL_NAME', 'name'],
      ['Name', 'name'],
      ['Amount', 'amount'],
      ['value', 'amount'],
      ['Deal size', 'amount'],
      ['Stage', 'stage'],
      ['Pipeline', 'pipeline'],
      ['E-mail', 'email'],
      ['Lead email', 'email'],
      ['Owner email', 'ownerEmail'],
      ['Close date', 'expectedClose'],
      ['Lost reason', 'lostReason'],
      ['utm_campaign', 'campaign'],
    ]) {
      expect(fieldForName('deals', header!), header).toBe(field);
    }
    expect(fieldForName('leads', 'First Name')).toBe('firstName');
    expect(fieldForName('leads', 'fields.plan')).toBe('fields.plan');
    expect(fieldForName('deals', 'fields.plan')).toBe(null);
  });

  it('lets an explicit mapping win, ignore columns, and warns about columns that feed nothing', () => {
    const { columns, warnings } = mapColumns('deals', ['Opportunity title', 'Amount', 'Revenue', 'Colour'], {
      'opportunity title': 'name',
      Revenue: 'amount',
      Colour: null,
    });
    expect(columns.map((c) => c.field)).toEqual(['name', null, 'amount', null]);
    expect(warnings.map((w) => w.message)).toEqual(['Column "Amount" is not imported: the mapping takes amount from another column.']);
  });

  it('refuses mappings to unknown columns or fields, two columns for one field, and a missing required column', () => {
    const err = thrown(() => mapColumns('deals', ['Name', 'Deal name', 'Value'], { Nope: 'name', Value: 'price tag' }));
    expect(err.status).toBe(400);
    expect(err.fields?.map((f) => f.path)).toEqual(['mapping.Nope', 'mapping.Value', 'header']);
    expect(err.fields?.[1]?.message).toMatch(/"price tag" is not a field of deals/);
    expect(err.fields?.[2]?.message).toMatch(/"Name" and "Deal name" all hold name/);
    const leads = thrown(() => mapColumns('leads', ['Name', 'Phone']));
    expect(leads.fields?.[0]?.message).toBe('The file needs a column named "Email" (or "e-mail"), or a mapping to email.');
  });
});

const b2c: ImportPipeline = {
  id: 'p1',
  name: 'Demo B2C e-commerce pipeline - 1',
  stages: [
    { id: 's1', name: 'Lead generation', kind: 'open', position: 0 },
    { id: 's2', name: 'Lead qualification', kind: 'open', position: 1 },
    { id: 's5', name: 'Closed won', kind: 'won', position: 4 },
    { id: 's6', name: 'Closed lost', kind: 'lost', position: 5 },
  ],
};
const NOW = Date.UTC(2026, 10, 27, 12);

function lookups(over: Partial<DealImportLookups> = {}): DealImportLookups {
  return {
    now: NOW,
    pipelines: [b2c],
    pipelineId: null,
    members: new Map([['rep@shop.test', 'u1']]),
    leads: new Map([['ava@example.com', 'lead-ava']]),
    funnels: [{ id: 'f1', name: 'Cosmetics quiz' }],
    openDeals: new Set(),
    lastPositions: new Map([['s1', 2048]]),
    positionStep: 1024,
    ...over,
  };
}

function planDeals(csv: string, over: Partial<DealImportLookups> = {}) {
  const { file, rows } = readDealFile(csv);
  return planDealImport(file, rows, lookups(over), newId);
}

describe('deal rows', () => {
  it('plans the article’s deal: $250 in Lead generation, linked to Ava, at the bottom of the column', () => {
    const plan = planDeals(
      'Deal name,Amount,Stage,Email,Owner email\r\nCosmetics set - Ava Smith,$250,lead generation,AVA@example.com,rep@shop.test\r\n',
    );
    expect(plan.issues).toEqual([]);
    expect(plan.deals).toHaveLength(1);
    expect(plan.deals[0]).toMatchObject({
      row: 2,
      name: 'Cosmetics set - Ava Smith',
      valueMinor: 25000,
      currency: 'USD',
      pipelineId: 'p1',
      stage: { id: 's1' },
      position: 3072,
      leadId: 'lead-ava',
      ownerId: 'u1',
      closedAt: null,
      createdAt: NOW,
      stageEnteredAt: NOW,
    });
    expect(plan.linkedLeads).toBe(1);
    expect(plan.newLeads).toEqual([]);
  });

  it('defaults to the first open stage, stacks positions in file order, and starts an empty column at 0', () => {
    const plan = planDeals('Name,Stage\nA,\nB,Lead qualification\nC,Lead qualification\nD,\n');
    expect(plan.deals.map((d) => [d.name, d.stage.id, d.position])).toEqual([
      ['A', 's1', 3072],
      ['B', 's2', 0],
      ['C', 's2', 1024],
      ['D', 's1', 4096],
    ]);
  });

  it('creates a lead once per new email, named by the Lead name column', () => {
    const plan = planDeals('Name,Email,Lead name,Stage\nA,new@example.com,,Closed won\nB,NEW@example.com,Nia New,Lead generation\n');
    expect(plan.issues).toEqual([]);
    expect(plan.newLeads).toEqual([{ id: expect.any(String), email: 'new@example.com', name: 'Nia New', row: 2 }]);
    expect(plan.deals.map((d) => d.leadId)).toEqual([plan.newLeads[0]!.id, plan.newLeads[0]!.id]);
  });

  it('reports every problem of every row, with the spreadsheet row number and the column', () => {
    const csv = [
      'Deal name,Deal size,Stage,Email,Owner email,Close date,Lost reason,Funnel',
      'Good,$250,Lead generation,,,,,',
      ',abc,Nowhere,not-an-email,boss@elsewhere.test,someday,,', // row 3: format problems, and names that match nothing
      '',
      'Lost one,10,Closed lost,,,,,', // row 5: lost without reason
      'Unknown owner,10,,,stranger@shop.test,,,Nope', // row 6
    ].join('\n');
    const plan = planDeals(csv);
    expect(plan.deals).toHaveLength(1);
    expect(plan.issues.map((i) => [i.path, i.column])).toEqual([
      ['row 3.name', 'Deal name'],
      ['row 3.amount', 'Deal size'],
      ['row 3.email', 'Email'],
      ['row 3.expectedClose', 'Close date'],
      ['row 3.stage', 'Stage'],
      ['row 3.ownerEmail', 'Owner email'],
      ['row 5.lostReason', 'Lost reason'],
      ['row 6.ownerEmail', 'Owner email'],
      ['row 6.sourceFunnel', 'Funnel'],
    ]);
    expect(plan.issues[0]!.message).toBe('Give the deal a name.');
    expect(plan.issues[6]!.message).toBe('"Closed lost" is a lost stage: say why the deal was lost.');
    expect(plan.issues[7]!.message).toBe('No member of this workspace has the email stranger@shop.test.');
  });

  it('names unknown stages and pipelines with the ones that exist', () => {
    const plan = planDeals('Name,Pipeline,Stage\nA,Demo B2C e-commerce pipeline - 1,Nowhere\nB,Other,Lead generation\n');
    expect(plan.issues.map((i) => i.message)).toEqual([
      '"Demo B2C e-commerce pipeline - 1" has no stage "Nowhere"; its stages are "Lead generation", "Lead qualification", "Closed won", "Closed lost".',
      'No pipeline is named "Other"; there are "Demo B2C e-commerce pipeline - 1".',
    ]);
  });

  it('keeps one open deal per lead and pipeline, against the database and within the file', () => {
    const existing = planDeals('Name,Email\nA,ava@example.com\n', { openDeals: new Set(['p1 lead-ava']) });
    expect(existing.issues.map((i) => i.message)).toEqual([
      'ava@example.com already has an open deal in "Demo B2C e-commerce pipeline - 1"; a lead has one open deal per pipeline.',
    ]);
    const inFile = planDeals('Name,Email,Stage\nA,bo@example.com,\nB,bo@example.com,Closed won\nC,bo@example.com,Lead qualification\n');
    expect(inFile.issues.map((i) => [i.path, i.message])).toEqual([
      [
        'row 4.email',
        'Row 2 already opens a deal for bo@example.com in "Demo B2C e-commerce pipeline - 1"; a lead has one open deal per pipeline.',
      ],
    ]);
  });

  it('sets closed times for won and lost rows, keeps given times, and refuses impossible ones', () => {
    const plan = planDeals(
      [
        'Name,Stage,Created,Closed,Lost reason',
        'Won now,Closed won,,,',
        'Won then,Closed won,2026-01-01,2026-02-01T10:00:00Z,',
        'Open closed,Lead generation,,2026-02-01,',
        'Backwards,Closed lost,2026-03-01,2026-02-01,Too pricey',
        'Future,Closed won,2030-01-01,,',
        'Reason kept?,Lead generation,,,Too pricey',
      ].join('\n'),
    );
    expect(plan.deals.map((d) => [d.name, d.createdAt, d.closedAt, d.stageEnteredAt, d.lostReason])).toEqual([
      ['Won now', NOW, NOW, NOW, null],
      ['Won then', Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1, 10), Date.UTC(2026, 1, 1, 10), null],
      ['Reason kept?', NOW, null, NOW, null],
    ]);
    expect(plan.issues.map((i) => [i.path, i.message])).toEqual([
      ['row 4.closedAt', '"Lead generation" is an open stage: leave the close time empty, or choose a won or lost stage.'],
      ['row 5.closedAt', 'The deal closes before it was created.'],
      ['row 6.createdAt', 'The deal cannot be created in the future.'],
    ]);
    expect(plan.warnings.map((w) => w.path)).toContain('row 7.lostReason');
  });

  it('checks the amount against the row’s currency column', () => {
    const plan = planDeals('Name,Value,Currency\nA,250,jpy\nB,250.5,JPY\nC,€5,USD\nD,5,dollars\n');
    expect(plan.deals.map((d) => [d.valueMinor, d.currency])).toEqual([[250, 'JPY']]);
    expect(plan.issues.map((i) => [i.path, i.message])).toEqual([
      ['row 3.amount', 'JPY has no minor unit: the amount must be whole.'],
      ['row 4.amount', 'The amount is in EUR but the currency column says USD.'],
      ['row 5.currency', 'Not a currency code; use three letters such as USD, EUR or JPY.'],
    ]);
  });

  it('keeps formula-looking text as text, and undoes an export’s neutralising apostrophe', () => {
    const plan = planDeals(`Name,Notes\n=HYPERLINK("http://x"),'=1+1\n"'-5% promo",@mention\n`);
    expect(plan.deals.map((d) => [d.name, d.notes])).toEqual([
      ['=HYPERLINK("http://x")', '=1+1'],
      ['-5% promo', '@mention'],
    ]);
  });

  it('needs a pipeline when the workspace has several and the file names none', () => {
    const other = { ...b2c, id: 'p2', name: 'B2B' };
    expect(thrown(() => planDeals('Name\nA\n', { pipelines: [b2c, other] })).fields?.[0]?.path).toBe('pipelineId');
    const fixed = planDeals('Name,Pipeline\nA,Whatever\n', { pipelines: [b2c, other], pipelineId: 'p2' });
    expect(fixed.deals[0]!.pipelineId).toBe('p2');
    expect(fixed.warnings[0]!.message).toMatch(/not read: every deal goes into "B2B"/);
  });

  it('refuses files that are empty, too long, ragged or have an unclosed quote', () => {
    expect(thrown(() => readDealFile('')).fields?.[0]?.message).toMatch(/empty/);
    expect(thrown(() => readDealFile('Name\n\n')).fields?.[0]?.message).toMatch(/no rows/);
    const big = 'Name\n' + 'x\n'.repeat(MAX_IMPORT_ROWS + 1);
    expect(thrown(() => readDealFile(big)).fields?.[0]?.message).toBe(
      'The file has 5,001 rows; import at most 5,000 at a time (split the file).',
    );
    expect(readDealFile('Name\n' + 'x\n'.repeat(MAX_IMPORT_ROWS)).rows).toHaveLength(MAX_IMPORT_ROWS);
    const quote = thrown(() => readDealFile('Name\nA\n"B\n'));
    expect(quote.fields?.[0]).toMatchObject({ path: 'csv', row: 3 });
    const ragged = readDealFile('Name,Value\nA,1,extra\nB,2,,\n');
    expect(ragged.file.issues.map((i) => i.path)).toEqual(['row 2']);
  });

  it('refuses a file whose numeric dates disagree about the order', () => {
    expect(thrown(() => readDealFile('Name,Close date\nA,25/12/2026\nB,12/25/2026\n')).fields?.[0]?.message).toMatch(/day first/);
    expect(readDealFile('Name,Close date\nA,03/04/2026\n', { dateOrder: 'DMY' }).rows[0]!.value.expectedCloseAt).toBe(Date.UTC(2026, 3, 3));
  });
});

describe('lead rows', () => {
  const stored: ExistingLead = {
    id: 'lead-ava',
    email: 'ava@example.com',
    name: 'Ava Smith',
    phone: null,
    company: 'Glow Labs',
    source: '',
    fields: { plan: 'basic', city: 'Oslo' },
  };
  function planLeads(csv: string, mapping?: Record<string, string | null>) {
    const { file, rows } = readLeadFile(csv, { mapping });
    return planLeadImport(file, rows, new Map([[stored.email, stored]]), newId);
  }

  it('creates new leads and updates existing ones (non-empty cells win, custom fields merge)', () => {
    const plan = planLeads(
      'Email,First name,Last name,Phone,Company,Plan\nava@example.com,,,+1 555 010 0199,,pro\nbo@example.com,Bo,Berg,,Acme,\n',
      {
        Plan: 'fields.plan',
      },
    );
    expect(plan.issues).toEqual([]);
    expect(plan.updates).toEqual([{ ...stored, row: 2, phone: '+1 555 010 0199', fields: { plan: 'pro', city: 'Oslo' } }]);
    expect(plan.creates).toEqual([
      { row: 3, id: expect.any(String), email: 'bo@example.com', name: 'Bo Berg', phone: null, company: 'Acme', source: '', fields: {} },
    ]);
  });

  it('counts an existing lead the file changes nothing about as unchanged', () => {
    const plan = planLeads('Email,Name,Company\nAVA@example.com,Ava Smith,Glow Labs\n');
    expect(plan).toMatchObject({ creates: [], updates: [], unchanged: 1 });
  });

  it('reports duplicate emails, bad emails, phones and fields JSON', () => {
    const plan = planLeads('Email,Phone,Fields\nbo@example.com,,\n,555 0199,\nBO@example.com,,\nnope,call me,\ncy@example.com,1,[1]\n');
    expect(plan.issues.map((i) => [i.path, i.message])).toEqual([
      ['row 3.email', 'Every lead needs an email address.'],
      ['row 4.email', 'bo@example.com is already on row 2; list each lead once.'],
      ['row 5.email', 'Enter a valid email address.'],
      ['row 5.phone', 'Not a phone number; write it like +1 555 010 0199.'],
      ['row 6.phone', 'Not a phone number; write it like +1 555 010 0199.'],
      ['row 6.fields', 'Not a JSON object such as {"plan": "pro"}.'],
    ]);
    expect(plan.creates.map((c) => c.row)).toEqual([2]);
  });

  it('reads its own export back: computed columns are ignored with a warning', () => {
    const { file, rows } = readLeadFile(
      'id,email,name,phone,company,quiz_outcome,score,fields,created_at,updated_at\r\nL1,ava@example.com,Ava,,,glow,40,"{""plan"":""pro""}",2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z\r\n',
    );
    expect(file.issues).toEqual([]);
    expect(rows[0]!.value).toEqual({ email: 'ava@example.com', name: 'Ava', fields: { plan: 'pro' } });
    expect(file.warnings.map((w) => w.column)).toEqual(['id', 'quiz_outcome', 'score', 'created_at', 'updated_at']);
  });
});
