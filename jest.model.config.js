/** The money model (test/reliability/*.model.ts): run by `npm run test:model` and `npm run soak`, not by plain `jest`. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['**/*.model.ts'],
	// A soak runs for an hour; the model bounds itself by its scenario count or minutes.
	testTimeout: 3 * 3_600_000,
};
