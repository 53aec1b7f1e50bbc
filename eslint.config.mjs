import { config as n8nNodeCliConfig } from '@n8n/node-cli/eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

/*
 * n8n's own lint config (`config` from @n8n/node-cli, what `n8n-node lint` and the starter use),
 * with four changes:
 * - its node-code rules (everything it applies to `**\/*.ts`: @n8n/community-nodes, no-console,
 *   ...) apply to the shipped code only, nodes/ and credentials/. Tests and scripts need
 *   `process`, timers, `fs` and `http`, which node code must not touch.
 * - tests and scripts get the same generic rules (ESLint and typescript-eslint recommended,
 *   import-x) without the node-code ones.
 * - the `n8n-nodes-base` rule sets run with this project's eslint-plugin-n8n-nodes-base (same
 *   rules and rule sets as the 1.x copy node-cli bundles).
 * - no function in the shipped code is longer than 60 lines (blank lines and comments not counted).
 * package.json keeps n8n's block: parsed with the TypeScript parser, which its rules
 * (no-runtime-dependencies, no-forbidden-lifecycle-scripts, valid-author, ...) need to see it at
 * all. test/lint/lintConfig.test.ts keeps them from going blind again.
 * Because this file differs from node-cli's template, package.json sets `"strict": false`.
 * `npm run lint` also runs the scanner's analysis (scripts/lint/scanPackage.mjs).
 */
const NODE_CODE = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const TOOLING = ['test/**/*.ts', 'test/**/*.mjs', 'scripts/**/*.ts', 'scripts/**/*.mjs', '*.mjs'];

const appliesToEveryTsFile = (block) => block.files?.length === 1 && block.files[0] === '**/*.ts';
const isNodeCodeOnly = (block) =>
	Object.keys(block.plugins ?? {}).includes('@n8n/community-nodes') || 'no-console' in (block.rules ?? {});

const withProjectPlugin = (block) =>
	block.plugins?.['n8n-nodes-base']
		? { ...block, plugins: { ...block.plugins, 'n8n-nodes-base': n8nNodesBase } }
		: block;

export default [
	// CommonJS tool configs (gulpfile, jest.config); dist/ is ignored by n8n's config.
	{ ignores: ['coverage/**', '**/*.js'] },
	...n8nNodeCliConfig
		.map(withProjectPlugin)
		.map((block) => (appliesToEveryTsFile(block) ? { ...block, files: NODE_CODE } : block)),
	...n8nNodeCliConfig
		.filter((block) => appliesToEveryTsFile(block) && !isNodeCodeOnly(block))
		.map((block) => ({ ...block, files: TOOLING })),
	// A function a reader can hold in view. Parameter description lists are data, not functions.
	{ files: NODE_CODE, rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] } },
];
