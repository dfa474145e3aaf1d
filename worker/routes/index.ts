import { openApiRoutes } from '../openapi.ts';
import type { RouteSpec } from '../route.ts';
import { actionRoutes } from './actions.ts';
import { clientRoutes } from './clients.ts';
import { dossierRoutes } from './dossier.ts';
import { eventRoutes } from './events.ts';
import { healthRoutes } from './health.ts';
import { keyRoutes } from './keys.ts';
import { lifecycleRoutes } from './lifecycle.ts';
import { segmentRoutes } from './segments.ts';
import { clvRoutes } from './clv.ts';
import { importRoutes } from './import.ts';
import { jobRoutes } from './jobs.ts';
import { sessionRoutes } from './sessions.ts';
import { settingsRoutes } from './settings.ts';
import { snapshotRoutes } from './snapshots.ts';
import { workspaceRoutes } from './workspaces.ts';

/** Every route the API serves: the router and the OpenAPI document are both built from this list. */
export const routes: RouteSpec[] = [
  ...healthRoutes,
  ...openApiRoutes(() => routes),
  ...workspaceRoutes,
  ...keyRoutes,
  ...sessionRoutes,
  ...settingsRoutes,
  ...clientRoutes,
  ...eventRoutes,
  ...lifecycleRoutes,
  ...segmentRoutes,
  ...clvRoutes,
  ...importRoutes,
  ...actionRoutes,
  ...dossierRoutes,
  ...jobRoutes,
  ...snapshotRoutes,
];
