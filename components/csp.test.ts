import { afterAll, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { abcXyzResult, cohortTriangle, funnel, migrationMatrix } from './shared/fixtures.ts';

interface Measured {
  violations: string[];
  barWidths: number[];
  trackWidth: number;
  cells: Record<string, string>;
  triangle: Record<string, string>;
  migrations: Record<string, string>;
}

afterAll(() => commands.strictCspPage('stop'));

/** Opens the page of test/csp/ (served with the strict policy from its own origin), hands it the data and waits for its measures. */
async function strictPage(): Promise<Measured> {
  const url = await commands.strictCspPage('start');
  const frame = document.createElement('iframe');
  frame.width = '800';
  frame.height = '900';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = url;
  document.body.appendChild(frame);
  await loaded;
  const answer = new Promise<Measured>((resolve) =>
    window.addEventListener(
      'message',
      (e) => e.source === frame.contentWindow && resolve(e.data as Measured),
    ),
  );
  frame.contentWindow!.postMessage(
    { funnel, abcXyz: abcXyzResult, cohorts: cohortTriangle, migrations: migrationMatrix },
    new URL(url).origin,
  );
  const measured = await answer;
  frame.remove();
  return measured;
}

test("the bundle runs under default-src 'self'; script-src 'self'; style-src 'self' without a violation, bars and tints intact", async () => {
  const m = await strictPage();
  // The probe sets one style attribute on purpose and waits for its report, so an empty list
  // means the policy was enforced and nothing else broke it.
  expect(m.violations).toEqual([]);
  // Bars sized by count: 1234 fills the track, 120 is about a tenth of it (never less than 2px).
  const counts = funnel.stages.map((s) => s.count);
  expect(m.barWidths).toHaveLength(counts.length);
  expect(m.barWidths[0]).toBeCloseTo(m.trackWidth, 0);
  expect(m.barWidths[1]! / m.barWidths[0]!).toBeCloseTo(counts[1]! / counts[0]!, 2);
  for (let i = 1; i < counts.length; i++)
    expect(m.barWidths[i]!).toBeLessThanOrEqual(m.barWidths[i - 1]!);
  // Cells tinted by revenue: the strongest (AX) is darker than an empty one (AY), which shows the surface.
  const lightness = (rgb: string) =>
    (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).reduce((sum, c) => sum + Number(c), 0);
  expect(m.cells.AX).not.toBe(m.cells.AY);
  expect(lightness(m.cells.AX!)).toBeLessThan(lightness(m.cells.BY!));
  expect(lightness(m.cells.BY!)).toBeLessThan(lightness(m.cells.AY!));
  // The standalone triangle and migration matrix, tinted the same way: full retention (0:0) is
  // darker than 25% (0:2); the largest migration cell (C→C) darker than an empty one.
  expect(lightness(m.triangle['0:0']!)).toBeLessThan(lightness(m.triangle['0:2']!));
  expect(lightness(m.migrations['3:2']!)).toBeLessThan(lightness(m.migrations['0:0']!));
});
