// The entry point of a bank-file thread. A worker thread does not inherit the TypeScript loader of the thread that
// starts it (under the test runner, for one), so it registers it before loading the reader.
import { register } from 'tsx/esm/api';

register();
const { readBankFileRows } = await import('./read-bank-file.ts');

export default readBankFileRows;
