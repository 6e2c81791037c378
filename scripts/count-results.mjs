// Sums vitest JSON reports into the one line CI reads: "N passed, N failed". Each failure is named just above that
// line, with the first line of its message, so that the end of a CI log alone says what broke.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

let passed = 0;
let failed = 0;
const failures = [];
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`missing test report ${file}: counting the run as one failure`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (!report.success && report.numFailedTests === 0) failed += 1; // a suite that failed to load
  for (const suite of report.testResults ?? []) {
    const where = `${relative(process.cwd(), suite.name)} (${file})`;
    const failedTests = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failedTests) failures.push(`${where}: ${test.fullName}\n    ${firstLine(test.failureMessages)}`);
    if (suite.status === 'failed' && failedTests.length === 0) failures.push(`${where}: ${firstLine([suite.message])}`);
  }
}
if (failures.length > 0) console.log(`failed:\n${failures.map((line) => `  ${line}`).join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

function firstLine(messages) {
  const text = (messages ?? []).find((message) => message) ?? 'no message';
  return String(text).split('\n')[0].slice(0, 300);
}
