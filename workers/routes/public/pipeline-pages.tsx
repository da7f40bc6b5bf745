import { Hono, type Context } from 'hono';
import { and, asc, eq } from 'drizzle-orm';
import * as z from 'zod';
import { deals, memberships, pipelines } from '../../../db/schema';
import type { Role } from '../../domain/roles';
import { AppError } from '../../domain/errors';
import { parseAmount } from '../../domain/csv-import';
import type { AppEnv } from '../../deps';
import { loadUser } from '../../middleware/auth';
import { pipelineBoard } from '../../services/board';
import { createDeal, moveDeal } from '../../services/deals';
import { formValues } from './form-values';
import { serviceCtx } from '../service-context';
import { Page, renderPage, type FormState } from '../../../pages-ui/admin/layout';
import { PipelineBoardPage, type BoardPageProps } from '../../../pages-ui/admin/pipeline-board';

/** Cards rendered per column; counts and totals still cover every deal (the rest is a link to the API list). */
const CARDS_PER_COLUMN = 50;

const id = z.string().min(1).max(64);
const addDealForm = z.object({
  name: z.string().trim().min(1, 'Enter a name for the deal.').max(200),
  amount: z.string().trim().max(40).default(''),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Use a three-letter code such as USD.')
    .default('USD'),
  stageId: id,
});
const moveForm = z.object({ stageId: id, lostReason: z.string().trim().max(500).optional() });

type PageContext = Context<AppEnv>;

/** A status page in the admin layout, with the way back to the dashboard. */
function notice(c: PageContext, status: 403 | 404, title: string, text: string) {
  return c.html(
    renderPage(
      <Page title={title} user={c.var.user}>
        <div class="card">
          <h1>{title}</h1>
          <p>{text}</p>
          <a href="/app">Back to the dashboard</a>
        </div>
      </Page>,
    ),
    status,
  );
}

interface Access {
  workspaceId: string;
  pipelineId: string;
  role: Role;
}

/**
 * The signed-in member's access to the pipeline (or the deal's pipeline) the URL names, in one query.
 * Anyone else gets the same "not found" as a missing id, so ids reveal nothing across workspaces.
 */
async function pipelineAccess(c: PageContext, pipelineId: string): Promise<Access | undefined> {
  const user = c.var.user;
  if (!user) return undefined;
  const [row] = await c.var.deps.database.db
    .select({ workspaceId: pipelines.workspaceId, pipelineId: pipelines.id, role: memberships.role })
    .from(pipelines)
    .innerJoin(memberships, and(eq(memberships.workspaceId, pipelines.workspaceId), eq(memberships.userId, user.id)))
    .where(eq(pipelines.id, pipelineId));
  return row;
}

async function dealAccess(c: PageContext, dealId: string): Promise<Access | undefined> {
  const user = c.var.user;
  if (!user) return undefined;
  const [row] = await c.var.deps.database.db
    .select({ workspaceId: deals.workspaceId, pipelineId: deals.pipelineId, role: memberships.role })
    .from(deals)
    .innerJoin(memberships, and(eq(memberships.workspaceId, deals.workspaceId), eq(memberships.userId, user.id)))
    .where(eq(deals.id, dealId));
  return row;
}

async function renderBoard(c: PageContext, access: Access, extra: Pick<BoardPageProps, 'addDeal' | 'moveError'> = {}, status = 200) {
  const user = c.var.user!;
  const { db } = c.var.deps.database;
  const { workspaceId, pipelineId, role } = access;
  const [board, all, workspace] = await Promise.all([
    pipelineBoard(db, workspaceId, pipelineId, { now: c.var.deps.clock(), limit: CARDS_PER_COLUMN }),
    db
      .select({ id: pipelines.id, name: pipelines.name })
      .from(pipelines)
      .where(eq(pipelines.workspaceId, workspaceId))
      .orderBy(asc(pipelines.createdAt)),
    db.query.workspaces.findFirst({ where: (w, { eq: is }) => is(w.id, workspaceId), columns: { id: true, name: true } }),
  ]);
  return c.html(
    renderPage(
      <PipelineBoardPage
        user={user}
        workspace={{ id: workspaceId, name: workspace?.name ?? '', role }}
        pipelines={all}
        board={board}
        canEdit={role !== 'viewer'}
        {...extra}
      />,
    ),
    status as 200,
  );
}

/** The board page and its two forms (add a deal, move a deal); both work without JavaScript. */
export const pipelinePageRoutes = new Hono<AppEnv>()
  .use('/app/*', loadUser)
  .get('/app/pipelines/:id', async (c) => {
    if (!c.var.user) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`);
    const access = await pipelineAccess(c, c.req.param('id'));
    if (!access) return notice(c, 404, 'Pipeline not found', 'There is no such pipeline in your workspaces.');
    return renderBoard(c, access);
  })
  .post('/app/pipelines/:id/deals', async (c) => {
    const pipelineId = c.req.param('id');
    if (!c.var.user) return c.redirect(`/login?next=${encodeURIComponent(`/app/pipelines/${pipelineId}`)}`, 303);
    const { values, problem } = await formValues(c);
    const access = await pipelineAccess(c, pipelineId);
    if (!access) return notice(c, 404, 'Pipeline not found', 'There is no such pipeline in your workspaces.');
    if (access.role === 'viewer') return notice(c, 403, 'Read-only access', 'Viewers can look at the board but not add deals.');
    if (problem) return renderBoard(c, access, { addDeal: { values, errors: {}, message: problem } }, 400);

    const failed = (errors: Record<string, string>, message = 'Please correct the fields below.') =>
      renderBoard(c, access, { addDeal: { values, errors, message } satisfies FormState }, 400);
    const parsed = addDealForm.safeParse(values);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'name')] ??= issue.message;
      return failed(errors);
    }
    const form = parsed.data;
    const amount = form.amount === '' ? { minor: 0, currency: form.currency } : parseAmount(form.amount, form.currency);
    if ('error' in amount) return failed({ amount: amount.error });
    try {
      await createDeal(
        serviceCtx(c),
        access.workspaceId,
        { pipelineId, stageId: form.stageId, name: form.name, valueMinor: amount.minor, currency: amount.currency, ownerId: c.var.user.id },
        c.var.user.id,
      );
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const errors = Object.fromEntries((err.fields ?? []).map((f) => [f.path, f.message]));
      return failed(errors, err.fields?.length ? 'Please correct the fields below.' : err.message);
    }
    return c.redirect(`/app/pipelines/${pipelineId}`, 303);
  })
  .post('/app/deals/:id/move', async (c) => {
    const dealId = c.req.param('id');
    if (!c.var.user) return c.redirect('/login?next=/app', 303);
    const access = await dealAccess(c, dealId);
    if (!access) return notice(c, 404, 'Deal not found', 'There is no such deal in your workspaces.');
    if (access.role === 'viewer') return notice(c, 403, 'Read-only access', 'Viewers can look at the board but not move deals.');
    const { values, problem } = await formValues(c);
    if (problem) return renderBoard(c, access, { moveError: { dealId, message: problem } }, 400);
    const parsed = moveForm.safeParse(values);
    if (!parsed.success) return renderBoard(c, access, { moveError: { dealId, message: 'Choose a stage.' } }, 400);
    try {
      await moveDeal(
        serviceCtx(c),
        access.workspaceId,
        dealId,
        { stageId: parsed.data.stageId, lostReason: parsed.data.lostReason || undefined },
        c.var.user.id,
      );
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const message = err.fields?.[0]?.message ?? err.message;
      return renderBoard(c, access, { moveError: { dealId, message, stageId: parsed.data.stageId } }, err.status === 404 ? 404 : 400);
    }
    return c.redirect(`/app/pipelines/${access.pipelineId}#deal-${dealId}`, 303);
  });
