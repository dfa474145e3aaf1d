import { define } from '../shared/define.ts';
import { AbcXyzMatrix } from './abc-xyz-matrix.ts';

export { AbcXyzMatrix };
define('folio-abc-xyz-matrix', AbcXyzMatrix);
