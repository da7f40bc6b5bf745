import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  blockSchema,
  isCaptureBlock,
  pageContentSchema,
  pageSlugSchema,
  type Block,
  type CtaTarget,
  type QuizBlock,
} from '../../workers/domain/blocks';
import { ICON_NAMES, iconFromEmoji, iconToDraw } from '../../workers/domain/icons';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { actionSchema, conditionsSchema, evaluateConditions, type LeadFacts } from '../../workers/domain/qualification';
import { quizPath, scoreQuiz, type QuizAnswers } from '../../workers/domain/quiz';
import { maskOf, scoreFunnel, scoringConfigSchema, type FunnelHistory } from '../../workers/domain/scoring';
import { FUNNEL_STAGES, STAGE_INDEX, stageForEvent, type EventType } from '../../workers/domain/stages';
import {
  findTemplate,
  FUNNEL_TEMPLATES,
  instantiateTemplate,
  qualificationSummary,
  TEMPLATE_GOALS,
  templateStageOverrides,
  upcomingDeadline,
  type FunnelTemplate,
} from '../../workers/domain/templates';
import { PAGE_KINDS } from '../../workers/services/funnels';
import { ICON_PATHS } from '../../pages-ui/landing/icons';

const ASSETS_DIR = 'pages-ui/landing/assets';
const blocksOf = (template: FunnelTemplate) => template.pages.flatMap((page) => page.content.blocks);

function targetsOf(block: Block): CtaTarget[] {
  switch (block.type) {
    case 'hero':
      return block.cta ? [block.cta.target] : [];
    case 'cta':
      return [block.target];
    case 'offer':
      return [block.buyTarget];
    case 'lead_form':
    case 'chat_capture':
      return block.successTarget ? [block.successTarget] : [];
    default:
      return [];
  }
}

function imagesOf(block: Block): Array<{ src: string; width?: number | undefined; height?: number | undefined }> {
  switch (block.type) {
    case 'hero':
    case 'offer':
      return block.image ? [block.image] : [];
    case 'image':
      return [block];
    case 'lead_magnet':
      return block.cover ? [block.cover] : [];
    default:
      return [];
  }
}

/** Every complete walk through a quiz: each answer of single-choice questions, every non-empty subset of the others. */
function allWalks(quiz: QuizBlock): QuizAnswers[] {
  const walks: QuizAnswers[] = [];
  const extend = (answers: QuizAnswers) => {
    const next = quizPath(quiz, answers).find((question) => !answers[question.id]);
    if (!next) return void walks.push(answers);
    const choices = next.multiple
      ? Array.from({ length: 2 ** next.answers.length - 1 }, (_, mask) =>
          next.answers.filter((_a, i) => ((mask + 1) >> i) & 1).map((a) => a.id),
        )
      : next.answers.map((a) => [a.id]);
    for (const choice of choices) extend({ ...answers, [next.id]: choice });
  };
  extend({});
  return walks;
}

describe('the template gallery', () => {
  it('has at least six templates, one per goal, with unique ids', () => {
    expect(FUNNEL_TEMPLATES.length).toBeGreaterThanOrEqual(6);
    expect(new Set(FUNNEL_TEMPLATES.map((t) => t.id)).size).toBe(FUNNEL_TEMPLATES.length);
    expect(new Set(FUNNEL_TEMPLATES.map((t) => t.goal))).toEqual(new Set(TEMPLATE_GOALS));
    for (const template of FUNNEL_TEMPLATES) {
      expect(template.id).toMatch(/^[a-z0-9-]{1,64}$/);
      expect(findTemplate(template.id)).toBe(template);
      expect(pageSlugSchema.safeParse(template.suggestedSlug).success).toBe(true);
    }
  });

  it('survives the trip through JSON the Worker reads them by (funnel-templates.json) unchanged', () => {
    expect(JSON.parse(JSON.stringify(FUNNEL_TEMPLATES))).toStrictEqual(FUNNEL_TEMPLATES);
  });

  it('includes the demo funnel as the chat capture + offer template', () => {
    const demo = findTemplate('chat-capture-offer')!;
    expect(demo.suggestedSlug).toBe('cosmetics-set');
    expect(demo.pages.map((p) => p.slug)).toEqual(['landing', 'quiz', 'guide', 'offer', 'thanks']);
  });
});

describe.each(FUNNEL_TEMPLATES.map((template) => [template.id, template] as const))('template %s', (_, template) => {
  it('has pages whose content is valid and unchanged by parsing, all in the template’s theme', () => {
    for (const page of template.pages) {
      const result = pageContentSchema.safeParse(page.content);
      expect(result.success ? [] : result.error.issues, page.slug).toEqual([]);
      expect(result.data).toEqual(page.content);
      expect(page.content.settings.theme).toEqual(template.theme);
    }
  });

  it('has unique, valid page slugs and kinds the funnels service stores', () => {
    const slugs = template.pages.map((page) => page.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const page of template.pages) {
      expect(pageSlugSchema.safeParse(page.slug).success, page.slug).toBe(true);
      expect(PAGE_KINDS).toContain(page.kind);
    }
  });

  it('maps each page to a stage, starting at awareness and never going back along the funnel', () => {
    const stages = template.pages.map((page) => page.stage);
    expect(stages[0]).toBe('awareness');
    stages.forEach((stage, i) => {
      expect(FUNNEL_STAGES).toContain(stage);
      if (i > 0) expect(STAGE_INDEX[stage]).toBeGreaterThanOrEqual(STAGE_INDEX[stages[i - 1]!]);
    });
    const overrides = templateStageOverrides(template);
    for (const page of template.pages) expect(stageForEvent('page_view', page.slug, overrides)).toBe(STAGE_INDEX[page.stage]);
  });

  it('links only to its own pages, never "next" from the last page, and to assets that exist', () => {
    const slugs = new Set(template.pages.map((page) => page.slug));
    template.pages.forEach((page, i) => {
      for (const block of page.content.blocks) {
        for (const target of targetsOf(block)) {
          if (target.kind === 'page') expect(slugs.has(target.slug), `${page.slug} → ${target.slug}`).toBe(true);
          if (target.kind === 'next')
            expect(i, `${page.slug}: "next" on the last page leads nowhere`).toBeLessThan(template.pages.length - 1);
        }
        for (const image of imagesOf(block)) {
          expect(existsSync(`${ASSETS_DIR}/${image.src.slice('/assets/'.length)}`), image.src).toBe(true);
          // Reserved space: no layout shift when the image arrives.
          expect([image.width, image.height], image.src).toEqual([expect.any(Number), expect.any(Number)]);
        }
        if (block.type === 'lead_magnet') expect(existsSync(`${ASSETS_DIR}/${block.assetPath.slice('/assets/'.length)}`)).toBe(true);
      }
    });
  });

  it('captures leads, and uses icons of the set', () => {
    expect(blocksOf(template).some(isCaptureBlock)).toBe(true);
    for (const block of blocksOf(template)) {
      if (block.type === 'features') for (const item of block.items) if (item.icon) expect(ICON_NAMES).toContain(item.icon);
    }
  });

  it('has quizzes that branch only forward and give every walk an outcome', () => {
    for (const block of blocksOf(template)) {
      if (block.type !== 'quiz') continue;
      const position = new Map(block.questions.map((question, i) => [question.id, i]));
      block.questions.forEach((question, i) => {
        for (const answer of question.answers) {
          if (answer.next && answer.next !== 'end') expect(position.get(answer.next)!).toBeGreaterThan(i);
        }
      });
      const walks = allWalks(block);
      expect(walks.length).toBeGreaterThan(1);
      for (const walk of walks) expect(scoreQuiz(block, walk).outcome, JSON.stringify(walk)).not.toBeNull();
    }
  });

  it('has a valid scoring config that names the funnel’s own outcomes, fields and answers', () => {
    expect(scoringConfigSchema.parse(template.scoring)).toEqual(template.scoring);
    const blocks = blocksOf(template);
    const outcomes = new Set(blocks.flatMap((b) => (b.type === 'quiz' ? b.outcomes.map((o) => o.id) : [])));
    for (const outcome of Object.keys(template.scoring.quizOutcomes)) expect(outcomes).toContain(outcome);
    const fields = blocks.flatMap((b) => (b.type === 'lead_form' || b.type === 'lead_magnet' ? b.fields : []));
    const chatSteps = blocks.flatMap((b) => (b.type === 'chat_capture' ? b.steps : []));
    for (const rule of template.scoring.fields) {
      const field = fields.find((f) => f.name === rule.field);
      const step = chatSteps.find((s) => s.id === rule.field);
      expect(field ?? step, rule.field).toBeDefined();
      const options = field?.options ?? step?.options;
      if (options) expect(options, `${rule.field} = ${rule.equals}`).toContain(rule.equals);
    }
  });

  it('has a qualification rule that is valid and points at an open stage of its pipeline template', () => {
    const rule = template.qualification;
    expect(conditionsSchema.parse(rule.conditions)).toEqual(rule.conditions);
    const action = actionSchema.parse({
      pipelineId: 'p',
      stageId: 's',
      value: rule.value,
      currency: rule.currency,
      nameTemplate: rule.nameTemplate,
      campaign: rule.campaign,
      owner: { kind: 'round_robin' },
    });
    expect(action.value).toEqual(rule.value);
    const stage = PIPELINE_TEMPLATES[rule.pipeline].stages.find((s) => s.name === rule.stage);
    expect(stage?.kind).toBe('open');
    const outcomes = new Set(blocksOf(template).flatMap((b) => (b.type === 'quiz' ? b.outcomes.map((o) => o.id) : [])));
    for (const condition of rule.conditions) {
      if (condition.kind === 'quiz_outcome_in') for (const id of condition.outcomes) expect(outcomes).toContain(id);
    }
    expect(qualificationSummary(template)).toMatch(new RegExp(`become deals.* in “${rule.stage}”`));
  });

  it('qualifies an engaged lead who gives the best answers, and not one who only signs up', () => {
    const blocks = blocksOf(template);
    const quiz = blocks.find((b): b is QuizBlock => b.type === 'quiz');
    const best = quiz?.outcomes.reduce((a, b) =>
      (template.scoring.quizOutcomes[b.id] ?? 0) > (template.scoring.quizOutcomes[a.id] ?? 0) ? b : a,
    );
    // The answer worth most to each scored field.
    const fields: Record<string, string> = {};
    for (const rule of [...template.scoring.fields].sort((a, b) => a.points - b.points)) fields[rule.field] = rule.equals;
    const capture = blocks.find(isCaptureBlock)!;
    const engaged: EventType[] = ['page_view', 'engaged', 'cta_click', 'form_submit', 'offer_view', 'checkout_start'];
    if (capture.type === 'lead_magnet' || blocks.some((b) => b.type === 'lead_magnet')) engaged.push('lead_magnet_download');
    if (quiz) engaged.push('quiz_start', 'quiz_complete');
    const furthest = (types: EventType[], pages: string[]) =>
      Math.max(
        ...types.map((type) => stageForEvent(type, null) ?? -1),
        ...pages.map((slug) => stageForEvent('page_view', slug, templateStageOverrides(template)) ?? -1),
      );
    const history = (types: EventType[], pages: string[], answers: Record<string, string>, outcome: string | null): FunnelHistory => ({
      funnelId: 'f',
      eventMask: maskOf(types),
      furthestStage: furthest(types, pages),
      submissions: [
        {
          id: 's',
          createdAt: 1,
          blockType: quiz ? 'quiz' : capture.type,
          data: { email: 'lead@example.com', fields: answers },
          quizOutcome: outcome,
          quizScore: outcome ? 10 : null,
        },
      ],
    });
    const facts = (h: FunnelHistory, answers: Record<string, string>): LeadFacts => ({
      score: scoreFunnel(template.scoring, h).reduce((sum, item) => sum + item.points, 0),
      email: 'lead@example.com',
      name: 'Lee',
      phone: null,
      company: 'Acme',
      fields: answers,
    });
    const allPages = template.pages.map((page) => page.slug);
    const good = history(engaged, allPages, fields, best?.id ?? null);
    expect(evaluateConditions(template.qualification.conditions, facts(good, fields), good, templateStageOverrides(template)).matched).toBe(
      true,
    );
    const bare = history(['form_submit'], [], {}, quiz?.outcomes[0]!.id ?? null);
    expect(evaluateConditions(template.qualification.conditions, facts(bare, {}), bare, templateStageOverrides(template)).matched).toBe(
      false,
    );
  });
});

describe('instantiateTemplate', () => {
  const webinar = findTemplate('webinar-registration')!;
  const countdownOf = (template: FunnelTemplate) =>
    template.pages.flatMap((page) => page.content.blocks).find((b) => b.type === 'countdown') as Extract<Block, { type: 'countdown' }>;

  it('moves a countdown that is less than a week away on by whole weeks, keeping its weekday and time', () => {
    const original = countdownOf(webinar).endsAt;
    const now = original + 3 * 24 * 3600_000;
    const moved = countdownOf(instantiateTemplate(webinar, now)).endsAt;
    expect(moved - now).toBeGreaterThanOrEqual(7 * 24 * 3600_000);
    expect(moved - now).toBeLessThan(14 * 24 * 3600_000);
    expect((moved - original) % (7 * 24 * 3600_000)).toBe(0);
    expect(new Date(moved).getUTCDay()).toBe(new Date(original).getUTCDay());
    // The template itself is never changed.
    expect(countdownOf(webinar).endsAt).toBe(original);
  });

  it('keeps a deadline that is still far enough ahead', () => {
    const original = countdownOf(webinar).endsAt;
    expect(upcomingDeadline(original, original - 30 * 24 * 3600_000)).toBe(original);
    expect(countdownOf(instantiateTemplate(webinar, original - 30 * 24 * 3600_000)).endsAt).toBe(original);
  });

  it('gives valid content at any time', () => {
    for (const template of FUNNEL_TEMPLATES) {
      const copy = instantiateTemplate(template, Date.UTC(2031, 5, 1));
      for (const page of copy.pages) expect(pageContentSchema.safeParse(page.content).success).toBe(true);
    }
  });
});

describe('feature icons', () => {
  it('draws every icon of the set', () => {
    for (const name of ICON_NAMES) expect(ICON_PATHS[name], name).toMatch(/^M[\d\s.,a-zA-Z-]+$/);
  });

  it('reads emoji saved before icons had names as their icon, with or without a variation selector', () => {
    expect(iconFromEmoji('🌿')).toBe('leaf');
    expect(iconFromEmoji('⏱️')).toBe('clock');
    expect(iconFromEmoji('⏱')).toBe('clock');
    expect(iconFromEmoji('♻️')).toBe('refresh');
    expect(iconFromEmoji('leaf')).toBe('leaf');
    expect(iconFromEmoji('🦄')).toBeUndefined();
    expect(iconToDraw('🦄')).toBe('sparkles');
  });

  it('validates icons by name in the block schema, mapping old emoji and refusing anything else', () => {
    const features = (icon: string) => ({ type: 'features', id: 'f', items: [{ title: 'Fast', text: 'Very', icon }] });
    const parsed = blockSchema.parse(features('⚡'));
    expect(parsed.type === 'features' && parsed.items[0]!.icon).toBe('bolt');
    const refused = blockSchema.safeParse(features('🦄'));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/^Choose one of the icons: award, bolt/);
  });
});
