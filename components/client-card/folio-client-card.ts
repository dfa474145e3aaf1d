import '../client-badge/folio-client-badge.ts';
import { define } from '../shared/define.ts';
import { ClientCard } from './client-card.ts';

export { ClientCard };
define('folio-client-card', ClientCard);
