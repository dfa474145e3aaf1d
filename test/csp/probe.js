/* global document, window, customElements, getComputedStyle */
// Runs inside the strict-CSP page (components/csp.test.ts): records every CSP violation, renders
// the components with the data the test posts, and posts back what it measured.
const violations = [];
let sentinel = null;
let sentinelSeen = () => {};

document.addEventListener(
  'securitypolicyviolation',
  (e) => {
    if (sentinel !== null && e.target === sentinel) sentinelSeen();
    else violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  },
  true,
);

/**
 * Reports are dispatched as tasks, in order. A style attribute set after rendering is a violation
 * we cause on purpose: once its report arrives, every earlier one has, and it proves the policy is
 * enforced at all.
 */
function flushViolations() {
  const seen = new Promise((resolve) => (sentinelSeen = resolve));
  sentinel = document.createElement('i');
  document.body.append(sentinel);
  sentinel.setAttribute('style', 'color: red');
  return seen;
}

window.addEventListener('message', async (e) => {
  if (e.source !== window.parent) return;
  const { funnel, abcXyz, cohorts, migrations } = e.data;
  await Promise.all(
    ['folio-abc-xyz-matrix', 'folio-cohort-triangle', 'folio-migration-matrix'].map((tag) =>
      customElements.whenDefined(tag),
    ),
  );
  const bars = document.querySelector('folio-stage-funnel');
  const matrix = document.querySelector('folio-abc-xyz-matrix');
  const triangle = document.querySelector('folio-cohort-triangle');
  const moves = document.querySelector('folio-migration-matrix');
  bars.data = funnel;
  matrix.data = abcXyz;
  triangle.data = cohorts;
  moves.data = migrations;
  await Promise.all([bars, matrix, triangle, moves].map((el) => el.updateComplete));
  await flushViolations();
  const tints = (el) => {
    const out = {};
    for (const td of el.shadowRoot.querySelectorAll('[part=cell]'))
      out[td.dataset.cell] = getComputedStyle(td).backgroundColor;
    return out;
  };
  const cells = tints(matrix);
  window.parent.postMessage(
    {
      violations,
      barWidths: [...bars.shadowRoot.querySelectorAll('[part=bar]')].map(
        (b) => b.getBoundingClientRect().width,
      ),
      trackWidth: bars.shadowRoot.querySelector('.track').getBoundingClientRect().width,
      cells,
      triangle: tints(triangle),
      migrations: tints(moves),
    },
    '*',
  );
});
