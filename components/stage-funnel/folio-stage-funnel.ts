import { define } from '../shared/define.ts';
import { StageFunnel } from './stage-funnel.ts';

export { StageFunnel };
define('folio-stage-funnel', StageFunnel);
