import tsParser from '@typescript-eslint/parser';
import jsoncParser from 'jsonc-eslint-parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

// eslint-plugin-n8n-nodes-base still ships eslintrc-style configs: reuse their rule sets in
// flat config. @n8n/eslint-plugin-community-nodes is what n8n's package scanner runs.
const n8nBase = (config, files, languageOptions) => ({
	files,
	languageOptions,
	plugins: { 'n8n-nodes-base': n8nNodesBase },
	rules: n8nNodesBase.configs[config].rules,
});

const typescript = { parser: tsParser, parserOptions: { project: './tsconfig.json' } };

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	n8nBase('community', ['package.json'], { parser: jsoncParser }),
	n8nBase('credentials', ['credentials/**/*.ts'], typescript),
	n8nBase('nodes', ['nodes/**/*.ts'], typescript),
	{
		...communityNodes.configs.recommended,
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		languageOptions: typescript,
	},
	{
		...communityNodes.configs.recommended,
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
	},
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		rules: {
			// A community credential links to the vendor's docs with a full URL, not an n8n docs slug.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// The typed NodeConnectionTypes.Main is what current n8n (and the community rules) expect.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
