import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activeFilterCount,
  clearedFilters,
  DEFAULT_FILTERS,
  filtersToQuery,
  filtersToSearch,
  isNarrowed,
  LEAD_STAGES,
  parseLeadFilters,
  SORT_KEYS,
  sortBy,
  type LeadFilters,
} from '../../pages-ui/app/views/leads/filters';

const day = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
/** Text as the URL keeps it: trimmed, within the limits. */
const word = (max: number) => fc.string({ maxLength: max }).map((s) => s.trim());

const filters: fc.Arbitrary<LeadFilters> = fc
  .record({
    q: word(200),
    funnel: word(64),
    stage: fc.constantFrom('', ...LEAD_STAGES),
    qualified: fc.constantFrom('' as const, 'yes' as const, 'no' as const),
    source: word(200),
    from: fc.option(day, { nil: '' }),
    to: fc.option(day, { nil: '' }),
    sort: fc.constantFrom(...SORT_KEYS),
    dir: fc.constantFrom('asc' as const, 'desc' as const),
  })
  .map((f) => (f.from && f.to && f.from > f.to ? { ...f, from: f.to, to: f.from } : f));

/** What a browser hands back for a search string, as preact-iso's `query`. */
const queryOf = (search: string) => Object.fromEntries(new URLSearchParams(search));

describe('lead filters in the URL', () => {
  it('reads back exactly what it wrote, through a real query string', () => {
    fc.assert(
      fc.property(filters, (f) => {
        expect(parseLeadFilters(queryOf(filtersToSearch(f)))).toEqual(f);
      }),
    );
  });

  it('writes one canonical query: parsing and writing again changes nothing', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('q', 'funnel', 'stage', 'qualified', 'source', 'from', 'to', 'sort', 'dir', 'x'), fc.string()),
        (query) => {
          const once = filtersToQuery(parseLeadFilters(query));
          expect(filtersToQuery(parseLeadFilters(once))).toEqual(once);
        },
      ),
    );
  });

  it('leaves the defaults out, so the plain list has the plain URL', () => {
    expect(filtersToSearch(DEFAULT_FILTERS)).toBe('');
    expect(filtersToSearch({ ...DEFAULT_FILTERS, stage: 'desire', q: 'ava smith' })).toBe('?q=ava+smith&stage=desire');
    expect(filtersToSearch({ ...DEFAULT_FILTERS, sort: 'score', dir: 'desc' })).toBe('?sort=score&dir=desc');
  });

  it('drops what it does not understand instead of failing', () => {
    expect(
      parseLeadFilters({ stage: 'viral', qualified: 'maybe', from: '2026-02-30', to: 'tomorrow', sort: 'age', dir: 'up', q: '  ava  ' }),
    ).toEqual({ ...DEFAULT_FILTERS, q: 'ava' });
  });

  it('swaps a date range typed backwards', () => {
    const f = parseLeadFilters({ from: '2026-12-01', to: '2026-11-01' });
    expect([f.from, f.to]).toEqual(['2026-11-01', '2026-12-01']);
  });

  it('sorts a new column in its natural direction first and flips the current one', () => {
    expect(sortBy(DEFAULT_FILTERS, 'created')).toMatchObject({ sort: 'created', dir: 'asc' });
    expect(sortBy(DEFAULT_FILTERS, 'email')).toMatchObject({ sort: 'email', dir: 'asc' });
    expect(sortBy(DEFAULT_FILTERS, 'score')).toMatchObject({ sort: 'score', dir: 'desc' });
    expect(sortBy({ ...DEFAULT_FILTERS, sort: 'score', dir: 'desc' }, 'score')).toMatchObject({ sort: 'score', dir: 'asc' });
    // A sort in the URL without a direction means that column's natural direction.
    expect(parseLeadFilters({ sort: 'email' })).toMatchObject({ sort: 'email', dir: 'asc' });
    expect(parseLeadFilters({ sort: 'activity' })).toMatchObject({ sort: 'activity', dir: 'desc' });
  });

  it('counts the filters, and clearing them keeps the sort', () => {
    const f: LeadFilters = { ...DEFAULT_FILTERS, q: 'x', funnel: 'f1', qualified: 'yes', from: '2026-11-01', sort: 'score', dir: 'asc' };
    expect(activeFilterCount(f)).toBe(3);
    expect(isNarrowed(f)).toBe(true);
    expect(isNarrowed({ ...DEFAULT_FILTERS, q: 'x' })).toBe(true);
    expect(isNarrowed({ ...DEFAULT_FILTERS, sort: 'email', dir: 'asc' })).toBe(false);
    expect(clearedFilters(f)).toEqual({ ...DEFAULT_FILTERS, sort: 'score', dir: 'asc' });
  });
});
