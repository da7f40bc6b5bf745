/**
 * One logger for the app: a JSON object per line on Workers (Workers Logs and `wrangler tail`
 * index its fields), a readable line locally. No I/O but the console, no imports: any layer but
 * `domain/` may use it.
 *
 * Work outside a request (queue consumers, timers, background jobs) logs through `log`, which the
 * Workers entry switches to JSON at start-up. A request logs through `c.var.log`
 * (middleware/request-log.ts), the same logger with the request's id on every line.
 *
 * @example
 * log.error('Qualifying lead failed', { leadId, err });
 * // locally:  2026-11-27T12:00:00.000Z ERROR Qualifying lead failed leadId=01J… \n  Error: … (stack)
 * // Workers:  {"time":"2026-11-27T12:00:00.000Z","level":"error","message":"Qualifying lead failed","leadId":"01J…","err":{"name":"Error","message":"…","stack":"…"}}
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The same logger with `fields` on every line (a request's id, say). */
  with(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** `json` for Workers, `text` for a terminal. */
  format: 'json' | 'text';
  /** Where lines go; by default errors to console.error, warnings to console.warn, the rest to console.log. */
  write?: (level: LogLevel, line: string) => void;
  now?: () => number;
}

export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const { format, write = writeToConsole, now = Date.now } = options;
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
    const all = fields ? { ...bound, ...fields } : bound;
    const time = new Date(now()).toISOString();
    write(level, format === 'json' ? jsonLine(time, level, message, all) : textLine(time, level, message, all));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    with: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** The logger of this process (Node) or isolate (Workers): readable text until an entry sets another. */
export let log: Logger = createLogger({ format: 'text' });

export function setLogger(logger: Logger): void {
  log = logger;
}

function writeToConsole(level: LogLevel, line: string): void {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

function jsonLine(time: string, level: LogLevel, message: string, fields: LogFields): string {
  const entry: LogFields = { time, level, message };
  for (const [key, value] of Object.entries(fields)) entry[key] = value instanceof Error ? errorFields(value) : value;
  try {
    return JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch {
    return JSON.stringify({ time, level, message, fields: String(fields) }); // a cycle: keep the line
  }
}

function textLine(time: string, level: LogLevel, message: string, fields: LogFields): string {
  let line = `${time} ${level.toUpperCase()} ${message}`;
  const stacks: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) stacks.push(errorText(value));
    else line += ` ${key}=${textValue(value)}`;
  }
  return stacks.length ? `${line}\n${stacks.join('\n')}` : line;
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function errorFields(err: Error): LogFields {
  return {
    name: err.name,
    message: err.message,
    stack: err.stack,
    ...(err.cause !== undefined ? { cause: err.cause instanceof Error ? errorFields(err.cause) : String(err.cause) } : {}),
  };
}

function errorText(err: Error): string {
  const text = `  ${(err.stack ?? `${err.name}: ${err.message}`).replace(/\n/g, '\n  ')}`;
  return err.cause instanceof Error ? `${text}\n  Caused by: ${errorText(err.cause).trimStart()}` : text;
}
