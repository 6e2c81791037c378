// The entry point of an auto-match thread. A worker thread does not inherit the TypeScript loader of the thread that
// starts it (under the test runner, for one), so it registers it before loading the matcher.
import { register } from 'tsx/esm/api';

register();
const { autoMatchRows } = await import('./auto-match-task.ts');

export default autoMatchRows;
