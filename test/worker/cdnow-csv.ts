// The CDNOW sample (see test/fixtures/cdnow/README.md), bundled as text: workerd has no file system.
import sample from '../fixtures/cdnow/CDNOW_sample.txt?raw';

/** The sample as the import endpoint takes it: client_id (the sample's customer number), date, amount. */
export const cdnowCsv = () =>
  `client_id,date,amount\n${sample
    .trim()
    .split('\n')
    .map((line) => {
      const [, id, d, , dollars] = line.trim().split(/\s+/);
      return `${Number(id)},${d!.slice(0, 4)}-${d!.slice(4, 6)}-${d!.slice(6, 8)},${dollars}`;
    })
    .join('\n')}\n`;
