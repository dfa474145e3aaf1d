import { mergePatch } from '../../core/merge.ts';
import { SettingsPatchSchema, SettingsSchema } from '../../schema/settings.ts';
import { SECRET } from '../auth.ts';
import { updateSettings } from '../db/workspaces.ts';
import { route } from '../route.ts';
import { restageWorkspace } from '../restage.ts';
import { sleepRuleFor } from '../value.ts';
import { parseValue } from '../validate.ts';

export const settingsRoutes = [
  route({
    method: 'GET',
    path: '/v1/settings',
    access: SECRET,
    summary: "The workspace's settings: stage model and the thresholds of every rule",
    responses: { 200: SettingsSchema },
    handle: ({ auth }) => auth.workspace.settings,
  }),
  route({
    method: 'PATCH',
    path: '/v1/settings',
    access: SECRET,
    summary:
      'Change settings with a JSON merge patch; lifecycle changes re-derive every client’s stages',
    description:
      'The patch (RFC 7396) is merged into the stored settings and the result validated whole, so errors name the merged field (e.g. `lifecycle.lostAfterDays`).',
    body: SettingsPatchSchema,
    responses: { 200: SettingsSchema },
    examples: { body: { currency: 'EUR', lifecycle: { sleepingAfterDays: 60 } } },
    async handle({ env, ctx, auth, db, body }) {
      const settings = parseValue(mergePatch(auth.workspace.settings, body), SettingsSchema);
      await updateSettings(env.DB, auth.workspace.id, settings);
      if (
        JSON.stringify(settings.lifecycle) !== JSON.stringify(auth.workspace.settings.lifecycle)
      ) {
        // Stage rules changed: every stored history is re-derived, off the response path.
        ctx.waitUntil(
          sleepRuleFor(db, auth.workspace.id, settings).then((rule) =>
            restageWorkspace(db, auth.workspace.id, settings, new Date().toISOString(), rule),
          ),
        );
      }
      return settings;
    },
  }),
];
