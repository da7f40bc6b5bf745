/**
 * The shapes the server sends and the UI renders, in one place: pages-ui/ imports its types from
 * here (never from services), and the services return them. Types and constant lists only.
 */
export type { AuthUser, Membership } from './accounts';
export type { AppBootstrap, WorkspaceSummary } from './app-shell';
export { BOOTSTRAP_ELEMENT_ID, WORKSPACE_COOKIE } from './app-shell';
export type { Activity, ActivityPage, ActivityType, DueState, NextActivity } from './activities';
export { ACTIVITY_TYPES, DUE_STATES } from './activities';
export type { DealOrigin } from './deals';
export { DEAL_ORIGINS } from './deals';
export type { Board, BoardCard, BoardColumn, BoardColumnPage, BoardStage, BoardTotal } from './board';
export type {
  FunnelListStats,
  DailyPoint,
  FunnelReport,
  FunnelSections,
  HandoffBreakdown,
  HandoffDaily,
  HandoffPeriod,
  HandoffReport,
  HandoffStep,
  MoneyTotal,
  ReportPeriod,
  SectionPeople,
  StageRow,
  StepRow,
} from './reports';
export { HANDOFF_STEPS } from './reports';
export type { TemplateDetail, TemplatePageSummary, TemplateSummary } from './templates';
export type {
  AccessibilityFinding,
  AccessibilityRule,
  BlockSchemaDocument,
  BlockTypeSchema,
  DomainCheck,
  DomainStatus,
  EditConflict,
  EmbeddableForm,
  FindingSeverity,
  FunnelPlacement,
  InspectorWidget,
  PageChecks,
  PageStatsRow,
  PageVersionDetail,
  PageVersionReason,
  PageVersionSummary,
  PageWeight,
} from './page-editor';
export {
  ACCESSIBILITY_RULES,
  accessibilityFindings,
  contrastRatio,
  FIRST_RESPONSE_BUDGET_BYTES,
  PAGE_VERSION_REASONS,
} from './page-editor';
export type { MediaDeleted, MediaDetail, MediaItem, MediaKind, MediaPage, MediaUsage } from './media';
export { ALT_MAX_LENGTH, FILE_MAX_BYTES, IMAGE_MAX_BYTES, MEDIA_KINDS } from './media';
export type {
  JourneyEvent,
  JourneyPage,
  LeadConsent,
  LeadDeal,
  LeadDetail,
  LeadFacets,
  LeadFunnelProgress,
  LeadListItem,
  LeadListPage,
  LeadSort,
  LeadSubmission,
  LeadTouch,
  QuizAnswerView,
  ScoreLine,
} from './leads';
export { EVENT_TYPES, FUNNEL_STAGES, LEAD_SORTS } from './leads';
export type { LeadErasure, LeadExport } from './privacy';
export type { AuditActor, AuditActorKind, AuditEntry, AuditPage } from './audit';
