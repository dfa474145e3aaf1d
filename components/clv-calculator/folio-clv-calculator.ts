import { define } from '../shared/define.ts';
import { ClvCalculator } from './clv-calculator.ts';

export { ClvCalculator };
define('folio-clv-calculator', ClvCalculator);
