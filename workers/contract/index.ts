/**
 * The shapes the server sends and the UI renders, in one place: pages-ui/ imports its types from
 * here (never from services), and the services return them. Types and constant lists only.
 */
export type { AuthUser, Membership } from './accounts';
export type { AppBootstrap, WorkspaceSummary } from './app-shell';
export { BOOTSTRAP_ELEMENT_ID, WORKSPACE_COOKIE } from './app-shell';
export type { Board, BoardCard, BoardColumn, BoardColumnPage, BoardStage, BoardTotal } from './board';
export type {
  FunnelListStats,
  FunnelReport,
  HandoffBreakdown,
  HandoffPeriod,
  HandoffReport,
  HandoffStep,
  MoneyTotal,
  ReportPeriod,
  StageRow,
  StepRow,
} from './reports';
export { HANDOFF_STEPS } from './reports';
export type { TemplateDetail, TemplatePageSummary, TemplateSummary } from './templates';
