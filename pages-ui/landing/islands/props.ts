/**
 * What the server hands each island in its `<script type="application/json">`, and what the
 * entry script adds from the server-rendered form it replaces.
 */
import type { ChatCaptureBlock, QuizBlock } from '../../../workers/domain/blocks';

/** A failed POST re-rendered: the island resumes with these values and shows these errors. */
interface IslandFormState {
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

/** Outcomes stay on the server, which does the scoring. */
export interface QuizIslandData extends IslandFormState {
  quiz: Omit<QuizBlock, 'outcomes'>;
}

export interface ChatIslandData extends IslandFormState {
  /** Without its follow-up email: that is for the lead's inbox (a discount code in it is earned by the email), not the page. */
  chat: Omit<ChatCaptureBlock, 'followUpEmail'>;
}

/** Read from the server-rendered form: the island posts a real form to the same place. */
export interface FormBinding {
  action: string;
  blockId: string;
  /** The per-response submission token the server put into the page. */
  token: string;
}
