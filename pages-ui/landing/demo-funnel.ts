/**
 * The seeded demo funnel, "Cosmetics set": the "Chat capture + offer" template
 * (workers/domain/templates/chat-capture-offer.ts), served at /p/cosmetics-set (first page) and
 * /p/cosmetics-set/<slug>.
 */
import { CHAT_CAPTURE_OFFER } from '../../workers/domain/templates/chat-capture-offer';
import type { TemplatePage } from '../../workers/domain/templates/types';

export type DemoFunnelPage = TemplatePage;

/** In funnel order: position 0 is served at /p/cosmetics-set. */
export const DEMO_FUNNEL_PAGES: DemoFunnelPage[] = CHAT_CAPTURE_OFFER.pages;
