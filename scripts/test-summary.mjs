// Prints the closing line CI reads: "tests: N passed, N failed" (and skipped, if any).
import fs from 'node:fs';
const f = process.argv[2];
if (!fs.existsSync(f)) {
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(f, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
