// Test tiers are chosen by file suffix (see README "Tests"):
//   *.unit.test.ts  pure, no I/O, run in parallel
//   *.workflow.test.ts  workflows with stub activities in Temporal's time-skipping test server
//   *.int.test.ts   real services (PostgreSQL, Kafka, FerretDB, Redis, Temporal)
//   *.e2e.test.ts   the whole stack through the gateway
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
// jose ships ES modules only; jest (before node 24.9) loads CommonJS, so swc converts it as well.
const transform = { '^.+\\.tsx?$': swc, '^.+/node_modules/jose/.+\\.js$': swc };
const transformIgnorePatterns = ['/node_modules/(?!jose/)'];

const project = (displayName, suffix, extra = {}) => ({
  displayName,
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns,
  roots: ['<rootDir>'],
  testMatch: [`**/*.${suffix}.test.ts`],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  ...extra,
});

module.exports = {
  projects: [
    project('unit', 'unit'),
    project('workflow', 'workflow', { slowTestThreshold: 15 }),
    // Timeouts for these tiers are passed on the command line (scripts/test-all.sh, npm run
    // test:int): jest 30 ignores `testTimeout` in a project's config.
    project('int', 'int', { slowTestThreshold: 30 }),
    project('e2e', 'e2e', { slowTestThreshold: 60 }),
  ],
};
