import type { Db } from './types';

/**
 * A statement prepared once per database handle, on first use: for a hot query (a move, the
 * session of every signed-in request) building the SQL costs about as much as running it.
 */
export function preparedPerDatabase<T>(prepare: (db: Db) => T): (db: Db) => T {
  const prepared = new WeakMap<Db, T>();
  return (db) => {
    let statement = prepared.get(db);
    if (!statement) prepared.set(db, (statement = prepare(db)));
    return statement;
  };
}
