import { svg, type SVGTemplateResult } from 'lit';

// 16×16 outline icons drawn with the current colour: no external assets, so the badge works
// offline, behind a CSP and in the one-file bundle.
const paths: Record<string, string> = {
  golden: 'M8 1.5l2 4.2 4.6.6-3.4 3.2.9 4.5L8 11.8 3.9 14l.9-4.5-3.4-3.2 4.6-.6z',
  pioneer: 'M3.5 15V1.5M3.5 2.5h9l-2 3 2 3h-9',
  fan: 'M8 13.5S1.5 9.6 1.5 5.3a3.2 3.2 0 0 1 6.5-1 3.2 3.2 0 0 1 6.5 1c0 4.3-6.5 8.2-6.5 8.2z',
  bad: 'M8 1.5l6.8 12.5H1.2zM8 6v4M8 11.6v.8',
  sleeping: 'M13.5 10.2A6 6 0 0 1 5.8 2.5a6 6 0 1 0 7.7 7.7z',
  loyal: 'M2.5 8a5.5 5.5 0 0 1 9.6-3.6M13.5 8a5.5 5.5 0 0 1-9.6 3.6M12.5 1.5v3h-3M3.5 14.5v-3h3',
  super_consumer: 'M9.5 1.5L3.5 9h4l-1 5.5 6-7.5h-4z',
  small_fry: 'M8 5.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z',
  lead_user: 'M10.5 2.5l3 3-8 8h-3v-3zM9 4l3 3',
  status: 'M2 12.5h12l1-8-4 3-3-5-3 5-4-3z',
  inquirer: 'M2 2.5h12v8.5H7l-3 3v-3H2z',
  near_client: 'M8 1.5a6.5 6.5 0 1 0 0 13zM8 1.5a6.5 6.5 0 0 1 0 13',
  false_client: 'M3.5 3.5l9 9M12.5 3.5l-9 9',
  potential: 'M8 14.5V7M8 9C8 5 5 3.5 2 3.5 2 7 4.5 9 8 9zM8 7.5c0-3 2-4.5 6-4.5 0 3-2 4.5-6 4.5',
  competitors: 'M2 5h11.5l-3-3M14 11H2.5l3 3',
};
const generic = 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM8 5v3.5M8 10.7v.8';

export const iconFor = (type: string): SVGTemplateResult =>
  svg`<path d=${paths[type] ?? generic}></path>`;

/** Warning colours for the types a salesperson should be wary of, muted for the inactive ones. */
export const toneOf = (type: string): 'warn' | 'quiet' | 'plain' =>
  type === 'bad' || type === 'false_client'
    ? 'warn'
    : type === 'sleeping' || type === 'small_fry' || type === 'near_client'
      ? 'quiet'
      : 'plain';
