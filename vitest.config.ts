import { defineConfig } from 'vitest/config';

// Unit and integration tests run on embedded PGlite, and again on the PostgreSQL server when
// DATABASE_URL is set; browser tests (e2e/) drive Debian's Chromium. Time zone is fixed:
// month ends are policy boundaries.
const server = (name: string, db: 'pglite' | 'postgres') => ({
  test: {
    name,
    include: ['server/src/**/*.test.ts'],
    env: { TEST_DB: db, TZ: 'Asia/Shanghai', YL_SQL_CHECK: '1' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

// Date-sensitive suites run again with the process in UTC: the county's dates must not move.
const utc = {
  test: {
    name: 'pglite-utc',
    include: [
      'server/src/kernel/kernel.test.ts',
      'server/src/modules/assessments/**/*.test.ts',
      'server/src/modules/elders/**/*.test.ts',
      'server/src/modules/indicators/**/*.test.ts',
      'server/src/modules/facilities/**/*.test.ts',
      'server/src/modules/benefits/**/*.test.ts',
      'server/src/modules/services/**/*.test.ts',
    ],
    env: { TEST_DB: 'pglite', TZ: 'UTC', YL_SQL_CHECK: '1' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
};

export default defineConfig({
  test: {
    projects: [
      server('pglite', 'pglite'),
      utc,
      ...(process.env.DATABASE_URL ? [server('postgres', 'postgres')] : []),
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          env: { TZ: 'Asia/Shanghai' },
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
