// `npx cem analyze` reads this: the manifest of the components (tags, attributes, properties,
// events, CSS parts and custom properties from their JSDoc) goes to dist/, which package.json's
// `customElements` field points at.

/** Lit's internal reactive state (`{ state: true }`) is no part of an element's public API. */
function dropLitState() {
  const state = new Map();
  return {
    name: 'drop-lit-state',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      for (const member of node.members) {
        if (
          member.name?.getText() !== 'properties' ||
          !member.initializer ||
          !ts.isObjectLiteralExpression(member.initializer)
        )
          continue;
        const names = member.initializer.properties
          .filter(
            (p) => ts.isPropertyAssignment(p) && /\bstate:\s*true\b/.test(p.initializer.getText()),
          )
          .map((p) => p.name.getText());
        state.set(node.name.getText(), new Set(names));
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          const hidden = state.get(declaration.name);
          if (hidden && declaration.members)
            declaration.members = declaration.members.filter((m) => !hidden.has(m.name));
        }
      }
    },
  };
}

export default {
  globs: ['components/**/*.ts'],
  exclude: [
    'components/**/*.test.ts',
    'components/**/*.d.ts',
    // Test helpers and sample answers: no part of the package.
    'components/shared/testing.ts',
    'components/shared/fixtures.ts',
    'components/**/*.styles.ts',
  ],
  outdir: 'dist',
  litelement: true,
  // package.json already points at dist/; the analyzer must not rewrite it (the tests generate
  // the manifest into a temporary folder).
  packagejson: false,
  plugins: [dropLitState()],
};
