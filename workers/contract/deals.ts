/** What deal responses carry beyond their columns (services/deals.ts). */
export type { DealOrigin } from '../domain/deal-origins';
export { DEAL_ORIGINS } from '../domain/deal-origins';
