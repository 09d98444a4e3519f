/**
 * Layer rules (README "Layers"), checked by test/unit/layers.unit.test.ts in `npm test` and by
 * `npm run lint:deps`. Paths are relative to the repository root.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-is-neutral',
      comment: 'lib/ holds small helpers any layer may use (lib/deadline.ts): it imports no project code',
      severity: 'error',
      from: { path: '^lib/' },
      to: { pathNot: ['^lib/', '(^|/)node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is pure TypeScript: it imports only itself (and zod for event schemas)',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: ['^domain/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'read-side-apart-from-write-side',
      comment:
        'read-service/ knows the event envelope and proto/, never the write side; it verifies callers with the one token verifier (api/auth/)',
      severity: 'error',
      from: { path: '^read-service/' },
      to: { path: '^(activities|db|workflows|api)/', pathNot: '^api/auth/' },
    },
    {
      name: 'health-apart-from-read-service',
      comment: 'health/ is shared by the API processes; the read service is asked over gRPC',
      severity: 'error',
      from: { path: '^health/' },
      to: { path: '^read-service/' },
    },
    {
      name: 'workflow-sandbox',
      comment:
        'workflow code runs in the deterministic sandbox: Temporal workflow APIs, domain/ and its own files only (activity types are fine)',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        pathNot: [
          '^workflows/',
          '^domain/',
          '(^|/)node_modules/@temporalio/(workflow|common)/',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflow-imports-modules',
      comment:
        "workflow code imports the domain's modules, not its index files: every new workflow evaluates all it imports, and an index brings every aggregate and zod schema into each run (test/workflows/bundle.workflow.test.ts)",
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: ['^domain/index[.]ts$', '^domain/[a-z-]+/index[.]ts$'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|proto/gen|web/dist|\\.reports)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
