import type { Stage } from './lifecycle.ts';

/**
 * Each stage's display name, in English and in Russian (docs/domain.md): the API's default funnel
 * labels (English, when a workspace sets none) and the components' texts. Plain data without
 * valibot, so that the components can bundle it.
 */
export const STAGE_LABELS = {
  prospect: ['Prospect', 'Стадия привлечения'],
  potential: ['Potential', 'Потенциальный'],
  developing: ['Developing', 'Развивающийся'],
  developed: ['Developed', 'Развитый'],
  sleeping: ['Sleeping', 'Спящий'],
  lost: ['Lost', 'Утерянный'],
  awareness: ['Awareness', 'Осведомлённость'],
  acquisition: ['Acquisition', 'Привлечение'],
  conversion: ['Conversion', 'Конверсия'],
  retention: ['Retention', 'Удержание'],
  loyalty: ['Loyalty', 'Лояльность'],
  re_engagement: ['Re-engagement', 'Повторное привлечение'],
} as const satisfies Record<Stage, readonly [en: string, ru: string]>;
