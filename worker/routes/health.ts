import { route } from '../route.ts';

export const healthRoutes = [
  route({ method: 'GET', path: '/v1/health', access: 'public', summary: 'Liveness check', handle: () => ({ ok: true }) }),
];
