import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type LogLevel } from '../../workers/logger';

const AT = Date.UTC(2026, 10, 27, 12, 0, 0);

function capture(format: 'json' | 'text') {
  const lines: Array<{ level: LogLevel; line: string }> = [];
  const logger = createLogger({ format, now: () => AT, write: (level, line) => lines.push({ level, line }) });
  return { logger, lines };
}

describe('the logger', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('writes one JSON object per line on Workers, with the bound fields and the error spelled out', () => {
    const { logger, lines } = capture('json');
    const err = new Error('database is down', { cause: new TypeError('fetch failed') });
    logger.with({ requestId: 'req-1' }).error('Unhandled error', { method: 'POST', path: '/api/auth/login', err, n: 10n });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('error');
    expect(lines[0]!.line).not.toContain('\n');
    expect(JSON.parse(lines[0]!.line)).toEqual({
      time: '2026-11-27T12:00:00.000Z',
      level: 'error',
      message: 'Unhandled error',
      requestId: 'req-1',
      method: 'POST',
      path: '/api/auth/login',
      n: '10',
      err: {
        name: 'Error',
        message: 'database is down',
        stack: expect.stringContaining('database is down'),
        cause: { name: 'TypeError', message: 'fetch failed', stack: expect.any(String) },
      },
    });
  });

  it('writes a readable line locally: time, level, message, fields, then the stack', () => {
    const { logger, lines } = capture('text');
    logger.with({ requestId: 'req-2' }).info('Seeded demo data: 3 things', { path: '/p/cosmetics-set', note: 'two words', count: 3 });
    expect(lines).toEqual([
      {
        level: 'info',
        line: '2026-11-27T12:00:00.000Z INFO Seeded demo data: 3 things requestId=req-2 path=/p/cosmetics-set note="two words" count=3',
      },
    ]);
    logger.warn('Background task failed', { err: new Error('boom') });
    const [first, ...stack] = lines[1]!.line.split('\n');
    expect(first).toBe('2026-11-27T12:00:00.000Z WARN Background task failed');
    expect(stack[0]).toBe('  Error: boom');
    expect(stack.length).toBeGreaterThan(1);
  });

  it('keeps a line whose fields cannot be serialised', () => {
    const { logger, lines } = capture('json');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    logger.info('odd fields', { cyclic });
    expect(JSON.parse(lines[0]!.line)).toMatchObject({ level: 'info', message: 'odd fields' });
  });

  it('writes errors to console.error, warnings to console.warn and the rest to console.log by default', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const info = vi.spyOn(console, 'log').mockImplementation(() => {});
    const logger = createLogger({ format: 'text', now: () => AT });
    logger.error('e');
    logger.warn('w');
    logger.info('i');
    logger.debug('d');
    expect(error.mock.calls).toEqual([['2026-11-27T12:00:00.000Z ERROR e']]);
    expect(warn.mock.calls).toEqual([['2026-11-27T12:00:00.000Z WARN w']]);
    expect(info.mock.calls).toEqual([['2026-11-27T12:00:00.000Z INFO i'], ['2026-11-27T12:00:00.000Z DEBUG d']]);
  });
});
