/**
 * How a deal came to be, so the handoff from qualified leads to deals adds up: a qualification rule
 * opened it, a B2C automation did (abandoned checkout, purchase), a person created it in the app,
 * a spreadsheet import brought it, or a script said so through the JSON API (`origin: 'api'`).
 */
export const DEAL_ORIGINS = ['qualification', 'automation', 'manual', 'import', 'api'] as const;
export type DealOrigin = (typeof DEAL_ORIGINS)[number];

/**
 * The origin a deal's first stage-history row tells (its `moved_by`): `rule:<id>` → qualification,
 * `automation:<name>` → automation, `import` → import, a person → manual. The migration that added
 * `deals.origin` back-filled existing deals with the same rule in SQL.
 */
export function originOfActor(movedBy: string | null): DealOrigin {
  if (movedBy === 'import') return 'import';
  if (movedBy?.startsWith('rule:')) return 'qualification';
  if (movedBy?.startsWith('automation:')) return 'automation';
  return 'manual';
}
