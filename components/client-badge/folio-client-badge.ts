import { define } from '../shared/define.ts';
import { ClientBadge } from './client-badge.ts';

export { ClientBadge };
define('folio-client-badge', ClientBadge);
